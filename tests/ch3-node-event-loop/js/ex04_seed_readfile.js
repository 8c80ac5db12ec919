// Twin of Immediates.InsideAnIoCallbackImmediateBeatsTimeout (the seed's code,
// with __filename instead of '/read.txt').
const fs = require('fs')
fs.readFile(__filename, () => {
  setImmediate(() => { console.log('setImmediate') })
  setTimeout(() => { console.log('setTimeout') }, 0)
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | setImmediate
// | setTimeout
