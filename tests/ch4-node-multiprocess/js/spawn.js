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

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | spawn
// | data out
// | exit 3 null
// | close 3 null
// | pid undefined
// | error ENOENT spawn /nonexistent/prog spawn /nonexistent/prog ENOENT
// | close -2 null
