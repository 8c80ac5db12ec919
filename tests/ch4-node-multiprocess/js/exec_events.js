// Twin of ex03 ExecReturnsTheChildProcessWithItsEvents (the seed's second exec example).
const { exec } = require('child_process')
const child = exec('echo hi', (err, stdout) => console.log(`callback ${err} ${stdout.trim()}`))
child.stdout.on('data', (d) => console.log(`data ${d.trim()}`))
child.on('exit', (code) => console.log(`exit ${code}`))
child.on('close', (code) => console.log(`close ${code}`))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | data hi
// | exit 0
// | callback null hi
// | close 0
