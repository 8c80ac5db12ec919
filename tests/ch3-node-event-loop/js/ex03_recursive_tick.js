// Twin of Microtasks.RecursiveNextTickRunsBeforeAnyTimer.
let n = 0
function again () {
  if (++n < 100000) process.nextTick(again)
  else console.log('100000 ticks done')
}
setTimeout(() => console.log('setTimeout'), 0)
process.nextTick(again)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | 100000 ticks done
// | setTimeout
