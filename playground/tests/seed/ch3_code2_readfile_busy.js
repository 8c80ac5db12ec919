const fs = require('fs')

function someAsyncOperation(callback) {
  const time = Date.now()
  // 花费9毫秒
  fs.readFile('/path/to/xxxx.pdf', callback)
}

const timeoutScheduled = Date.now()
const fileReadTime = 0
let delay = 0

setTimeout(() => {
  delay = Date.now() - timeoutScheduled
}, 5)

someAsyncOperation(() => {
  fileReadtime = Date.now()
  while (Date.now() - fileReadtime < 20) {

  }
  console.log(`setTimeout: ${delay}ms have passed since I was scheduled`)
  console.log('fileReaderTime', fileReadtime - timeoutScheduled)
})
