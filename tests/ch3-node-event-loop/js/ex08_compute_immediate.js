// Twin of NextTickUses.SetImmediateLetsIoIn: the same work re-scheduled with
// setImmediate; the read's callback gets in between the pieces.
const busy = ms => { const t = Date.now(); while (Date.now() - t < ms) {} }
require('fs').readFile(__filename, () => console.log('I/O callback'))
let i = 0
function compute () {
  busy(1)
  if (++i < 500) setImmediate(compute)
  else console.log('compute done')
}
setImmediate(compute)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | I/O callback
// | compute done
