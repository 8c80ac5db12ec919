// Node's side of the chapter 4 benchmark: the same sequential loops as
// bench_child_process.cpp, printed as "name value" per second.
const { spawn, exec, fork } = require('child_process')
const budget = Number(process.argv[2] || 2) * 1000

if (process.argv[2] === 'echo-child') {
  process.on('message', (m) => process.send(m))
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

function ipc(then) {
  const child = fork(__filename, ['echo-child'])
  let count = 0
  let t0
  child.on('message', (m) => {
    count++
    if (Date.now() - t0 >= budget) {
      console.log(`ipc_round_trip ${Math.round(count / ((Date.now() - t0) / 1000))}`)
      child.disconnect()
      return then()
    }
    child.send({ cmd: 'ping', seq: m.seq + 1 })
  })
  t0 = Date.now()
  child.send({ cmd: 'ping', seq: 0 })
}

rate('spawn', (done) => spawn('/bin/true').on('close', done),
  () => rate('exec', (done) => exec('true', done),
    () => ipc(() => {})))
