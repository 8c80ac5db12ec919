// Twin of Timers.TimeoutSetInsideATimerWaitsForALaterIteration.
setTimeout(() => {
  console.log('outer')
  setTimeout(() => console.log('inner timeout'), 0)
  setImmediate(() => console.log('immediate'))
}, 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | outer
// | immediate
// | inner timeout
