// Twin of ex02's WriteReturnsWhatStillWaitsAfterTheWriteAttempt: write()'s
// return value is decided *after* the write attempt (node 20's writeOrBuffer
// computes `state.length < state.highWaterMark` after `_write`), so a 20 KiB
// chunk that an empty pipe takes at once returns true and no 'drain' follows.
const { spawn } = require('child_process')

const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] })
let out = 0
child.stdout.on('data', (d) => { out += d.length })
child.stdin.on('drain', () => console.log('drain'))
console.log('write 20KiB ' + child.stdin.write('z'.repeat(20 * 1024)))
console.log('writableLength ' + child.stdin.writableLength)
child.stdin.end()
child.on('close', (code) => console.log(`close ${code} out ${out}`))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | write 20KiB true
// | writableLength 0
// | close 0 out 20480
