// Node's side of the chapter 4 benchmark: the same sequential loops as
// bench_child_process.cpp, printed as "name value" per second.
const { spawn, exec, fork } = require('child_process')
const budget = Number(process.argv[2] || 2) * 1000

if (process.argv[2] === 'echo-child') {
  // The parent disconnects while pipelined replies are still coming back.
  process.on('message', (m) => { if (process.connected) process.send(m, () => {}) })
  return
}

function rate(name, start, then) {
  let count = 0
  const t0 = Date.now()
  const next = () => {
    if (Date.now() - t0 >= budget) {
      console.log(`${name} ${Math.round(count / ((Date.now() - t0) / 1000))}`)
      return then()
    }
    start(() => { count++; next() })
  }
  next()
}

// One message in flight (window 1: latency, two wake-ups per round trip) or
// `window` in flight (throughput), as in bench_child_process.cpp.
function ipc(name, window, then) {
  const child = fork(__filename, ['echo-child'])
  let count = 0
  let done = false
  let t0
  child.on('message', (m) => {
    if (done) return
    count++
    if (Date.now() - t0 >= budget) {
      done = true
      console.log(`${name} ${Math.round(count / ((Date.now() - t0) / 1000))}`)
      child.disconnect()
      return then()
    }
    child.send({ cmd: 'ping', seq: m.seq + 1 })
  })
  t0 = Date.now()
  for (let i = 0; i < window; i++) child.send({ cmd: 'ping', seq: 0 })
}

// argv[3]: "spawn-only" (spawn, exec) or "ipc-only" (the IPC figures); default both.
const only = process.argv[3]
const ipcs = () => ipc('ipc_round_trip', 1, () => ipc('ipc_pipelined', 64, () => {}))
const spawns = (then) => rate('spawn', (done) => spawn('/bin/true').on('close', done),
  () => rate('exec', (done) => exec('true', done), then))
if (only === 'ipc-only') ipcs()
else if (only === 'spawn-only') spawns(() => {})
else spawns(ipcs)
