// Twin of Predict.Code3SlowStartTimeoutFirst: the seed's 代码执行 3 with a
// start-up of 2 ms (a busy wait at the end of the main script): the 1 ms
// timer is due when the loop first runs timers.
setTimeout(() => { console.log('timeout') }, 1)
setImmediate(() => { console.log('immediate') })
const t = Date.now(); while (Date.now() - t < 2) {}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | timeout
// | immediate
