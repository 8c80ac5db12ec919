// Twin of Timers.IntervalIsRescheduledFromTheCallbacksStart (order only:
// real time can't be asserted; the C++ test checks 10, 20, 36, 46 ms).
const busy = ms => { const t = Date.now(); while (Date.now() - t < ms) {} }
let n = 0
const iv = setInterval(() => {
  console.log('tick ' + ++n)
  busy(n === 2 ? 15 : 4)
  if (n === 4) { clearInterval(iv); console.log('cleared') }
}, 10)
const spin = () => { busy(1); if (n < 4) setImmediate(spin) }
setImmediate(spin)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | tick 1
// | tick 2
// | tick 3
// | tick 4
// | cleared
