const fs = require('fs')

fs.readFile(__filename, () => {
  setTimeout(() => {
    console.log('setTimeout')
  }, 0)
  setImmediate(() => {
    console.log('setImmediate')
    process.nextTick(() => {
      console.log('nextTick3')
    })
  })
  process.nextTick(() => {
    console.log('nextTick1')
  })
  process.nextTick(() => {
    console.log('nextTick2')
  })
})
