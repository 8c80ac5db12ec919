setTimeout(() => {
  console.log('timeout')
}, 1)

setImmediate(() => {
  console.log('immediate')
})
// setImmediate它有时候是1ms之前执行，有时候又是1ms之后执行？
