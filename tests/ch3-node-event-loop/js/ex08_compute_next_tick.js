// Twin of NextTickUses.RecursiveNextTickStarvesIo: 300 pieces of 1 ms each
// re-scheduled with nextTick; the file read finishes long before, but its
// callback waits for the whole chain.
const busy = ms => { const t = Date.now(); while (Date.now() - t < ms) {} }
require('fs').readFile(__filename, () => console.log('I/O callback'))
let i = 0
function compute () {
  busy(1)
  if (++i < 300) process.nextTick(compute)
  else console.log('compute done')
}
process.nextTick(compute)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | compute done
// | I/O callback
