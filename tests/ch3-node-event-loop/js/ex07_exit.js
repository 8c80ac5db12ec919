// Twin of Process.ExitStopsEverything.
process.on('beforeExit', () => console.log('beforeExit'))
process.on('exit', code => console.log('exit ' + code))
setTimeout(() => { console.log('t1 exits'); process.exit(0) }, 0)
setTimeout(() => console.log('t2'), 0)
process.nextTick(() => console.log('tick'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | tick
// | t1 exits
// | exit 0
