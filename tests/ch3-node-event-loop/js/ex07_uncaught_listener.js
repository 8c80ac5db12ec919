// Twin of Process.ExceptionGoesToTheUncaughtExceptionListenerAndTheLoopGoesOn.
process.on('uncaughtException', e => console.log('caught ' + e.message))
process.on('exit', code => console.log('exit ' + code))
setTimeout(() => { console.log('t1'); throw new Error('tx') }, 0)
setTimeout(() => {
  console.log('t2')
  setImmediate(() => { console.log('i1'); throw new Error('x') })
  setImmediate(() => console.log('i2'))
}, 0)
