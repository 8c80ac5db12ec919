// Twin of Microtasks.SeedNextTickExampleInsideAnIoCallback (the seed's code).
const fs = require('fs')
fs.readFile(__filename, () => {
  setTimeout(() => { console.log('setTimeout') }, 0)
  setImmediate(() => {
    console.log('setImmediate')
    process.nextTick(() => { console.log('nextTick3') })
  })
  process.nextTick(() => { console.log('nextTick1') })
  process.nextTick(() => { console.log('nextTick2') })
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | nextTick1
// | nextTick2
// | setImmediate
// | nextTick3
// | setTimeout
