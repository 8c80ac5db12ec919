process.on('exit', (code) => console.log('exit listener', code))
setTimeout(() => {
  console.log('before exit')
  process.exit(4)
  console.log('never printed')
}, 0)
setTimeout(() => console.log('never either'), 0)
