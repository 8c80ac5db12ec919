// Twin of ex03 OutputOverMaxBufferIsTruncatedAndTheChildKilled.
const { execFile } = require('child_process')
const child = execFile('/bin/sh', ['-c', 'exec head -c 3000000 /dev/zero'], (err, stdout) => {
  console.log(`code=${err.code} message=${err.message} killed=${err.killed} signal=${err.signal}`)
  console.log(`stdout bytes=${stdout.length}`)
  console.log(`child exited=${child.exitCode !== null || child.signalCode !== null}`)
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | code=ERR_CHILD_PROCESS_STDIO_MAXBUFFER message=stdout maxBuffer length exceeded killed=undefined signal=undefined
// | stdout bytes=1048576
// | child exited=true
