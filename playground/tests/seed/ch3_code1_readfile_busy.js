const fs = require('fs')
const path = require('path')

function someAsyncOperation(callback) {
  // 花费2毫秒
  fs.readFile(path.resolve(__dirname, '/read.txt'), callback)
}

const timeoutScheduled = Date.now()
const fileReadTime = 0

setTimeout(() => {
  const delay = Date.now() - timeoutScheduled
  console.log(`setTimeout: ${delay}ms have passed since I was scheduled`)
  console.log('fileReaderTime', fileReadtime - timeoutScheduled)
}, 10)

someAsyncOperation(() => {
  fileReadtime = Date.now()
  while (Date.now() - fileReadtime < 20) {

  }
})
