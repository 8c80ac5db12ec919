// Twin of Process.AThrowingUncaughtExceptionListenerExitsWithSeven.
const { spawnSync } = require('child_process')
const program = `
process.on('uncaughtException', () => { console.log('handler'); throw new Error('y') })
process.on('exit', code => console.log('exit ' + code))
setTimeout(() => { throw new Error('x') }, 0)
setTimeout(() => console.log('t2'), 0)
`
const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' })
process.stdout.write(r.stdout)
console.log('status ' + r.status)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | handler
// | status 7
