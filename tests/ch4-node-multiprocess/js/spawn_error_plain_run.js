// Twin of ex02's AFailedSpawnDeliversItsErrorWithAPlainRun: a start failure's
// 'error' comes from process.nextTick, in order with the other ticks the
// script queued, before the first immediate. (With stdio inherited, as here,
// 'close' follows in the same tick; with piped stdio Node emits it only once
// the pipes closed.)
const { spawn } = require('child_process')

process.nextTick(() => console.log('tick before'))
const child = spawn('/nonexistent/prog', [], { stdio: 'inherit' })
child.on('error', (e) => console.log(`error ${e.code}`))
child.on('close', (code, signal) => console.log(`close ${code} ${signal}`))
process.nextTick(() => console.log('tick after'))
setImmediate(() => console.log('immediate'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | tick before
// | error ENOENT
// | close -2 null
// | tick after
// | immediate
