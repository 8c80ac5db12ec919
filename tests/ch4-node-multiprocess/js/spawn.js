// Twins of ex02's ordering tests: what real Node prints.
const { spawn } = require('child_process')

function lifecycle(next) { // SpawnEventsInNodeOrder
  const child = spawn('/bin/sh', ['-c', 'echo out; sleep 0.1; exit 3'])
  child.on('spawn', () => console.log('spawn'))
  child.stdout.on('data', (d) => console.log('data ' + d.toString().trim()))
  child.on('exit', (code, signal) => console.log(`exit ${code} ${signal}`))
  child.on('close', (code, signal) => { console.log(`close ${code} ${signal}`); next() })
}

function missing() { // NonexistentProgramIsAnErrorEventNeverAThrow
  const child = spawn('/nonexistent/prog', ['a'])
  console.log('pid ' + child.pid)
  child.on('spawn', () => console.log('spawn'))
  child.on('error', (e) => console.log(`error ${e.code} ${e.syscall} ${e.message}`))
  child.on('exit', (code, signal) => console.log(`exit ${code} ${signal}`))
  child.on('close', (code, signal) => console.log(`close ${code} ${signal}`))
}

lifecycle(missing)
