const path = require('path')
const fs = require('fs')

fs.readFile(path.resolve(__dirname, '/read.txt'), () => {
  setImmediate(() => {
    console.log('setImmediate')
  })

  setTimeout(() => {
    console.log('setTimeout')
  }, 0)
})
