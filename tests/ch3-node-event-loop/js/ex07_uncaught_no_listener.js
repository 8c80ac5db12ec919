// Twin of Process.UncaughtExceptionWithoutListenerExitsWithOne. Node's own
// exit status would be 1: the program runs in a child and we print its
// output (stdout only) — node's exit status is the last check.
const { spawnSync } = require('child_process')
const program = `
process.on('exit', code => console.log('exit ' + code))
process.exitCode = 5
setTimeout(() => { console.log('t1 throws'); throw new Error('boom') }, 0)
setTimeout(() => console.log('t2 never runs'), 0)
process.nextTick(() => console.log('tick runs first'))
`
const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' })
process.stdout.write(r.stdout)
if (r.status !== 1) console.log('unexpected status ' + r.status)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | tick runs first
// | t1 throws
// | exit 1
