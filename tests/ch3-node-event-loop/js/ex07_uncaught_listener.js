// Twin of Process.ExceptionGoesToTheUncaughtExceptionListenerAndTheLoopGoesOn.
process.on('uncaughtException', e => console.log('caught ' + e.message))
process.on('exit', code => console.log('exit ' + code))
setTimeout(() => { console.log('t1'); throw new Error('tx') }, 0)
setTimeout(() => {
  console.log('t2')
  setImmediate(() => { console.log('i1'); throw new Error('x') })
  setImmediate(() => console.log('i2'))
}, 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | t1
// | caught tx
// | t2
// | i1
// | caught x
// | i2
// | exit 0
