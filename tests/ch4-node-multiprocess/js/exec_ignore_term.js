// Twin of ex03 AChildIgnoringSigtermOutlivesTheTimeout.
const { execFile } = require('child_process')
const child = execFile('/bin/sh', ['-c', 'trap "" TERM; echo ready; exec sleep 5'], { timeout: 300 }, (err) => {
  console.log(`callback killed=${err.killed} signal=${err.signal} code=${err.code}`)
})
setTimeout(() => {
  console.log(`still running ${child.exitCode === null && child.signalCode === null}`)
  child.kill('SIGKILL')
}, 900)
