// Twin of ex03 AChildIgnoringSigtermOutlivesTheTimeout.
const { execFile } = require('child_process')
const child = execFile('/bin/sh', ['-c', 'trap "" TERM; echo ready; exec sleep 5'], { timeout: 300 }, (err) => {
  console.log(`callback killed=${err.killed} signal=${err.signal} code=${err.code}`)
})
setTimeout(() => {
  console.log(`still running ${child.exitCode === null && child.signalCode === null}`)
  child.kill('SIGKILL')
}, 900)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | still running true
// | callback killed=true signal=SIGKILL code=null
