// a missing file: the err node gives (one read at a time: thread-pool completions race)
const fs = require('fs')
const path = require('path')
fs.readFile(path.resolve(__dirname, '/no/such/file.txt'), (err, data) => {
  console.log(err)
  console.log(data)
  fs.readFile(__filename, 'utf8', (err, data) => {
    console.log(err, data.split('\n')[0])
    fs.readFile(__dirname, (err) => console.log(err.code, err.syscall))
  })
})
