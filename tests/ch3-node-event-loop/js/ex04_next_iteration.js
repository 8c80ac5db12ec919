// Twin of Immediates.QueuedDuringCheckRunNextIteration.
const busy = ms => { const t = Date.now(); while (Date.now() - t < ms) {} }
require('fs').readFile(__filename, () => {
  setImmediate(() => {
    console.log('A')
    setImmediate(() => console.log('C (queued by A)'))
    busy(2)
  })
  setImmediate(() => console.log('B'))
  setTimeout(() => console.log('T'), 0)
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | A
// | B
// | T
// | C (queued by A)
