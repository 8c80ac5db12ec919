// Twin of Poll.ReadFileOnTheThreadPool.
const fs = require('fs')
fs.readFile(__filename, 'utf8', (err, data) => {
  console.log(!err && data.includes('Twin of Poll.ReadFileOnTheThreadPool') ? 'read ok' : 'read failed')
  setTimeout(() => console.log('setTimeout'), 0)
  setImmediate(() => console.log('setImmediate'))
})
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | read ok
// | setImmediate
// | setTimeout
