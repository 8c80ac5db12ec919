// Node on the workloads of bench/loop/run.sh, run one after another.
// Prints "<workload> <ops per second>" per line.
const N = 1e6
const now = () => Number(process.hrtime.bigint()) / 1e9
let quiet = false // the warm-up run of each workload prints nothing
const report = (name, t0, done) => {
  if (done !== N) console.error(`${name}: only ${done} of ${N}`)
  if (!quiet) console.log(`${name} ${Math.round(N / (now() - t0))}`)
}

const workloads = [
  function next_tick (next) {
    let done = 0
    const t0 = now()
    const f = () => { if (++done === N) { report('next_tick', t0, done); setImmediate(next) } }
    for (let i = 0; i < N; i++) process.nextTick(f)
  },
  function promise_then (next) {
    let done = 0
    const t0 = now()
    const p = Promise.resolve()
    const f = () => { if (++done === N) { report('promise_then', t0, done); setImmediate(next) } }
    for (let i = 0; i < N; i++) p.then(f)
  },
  function immediates_at_once (next) {
    let done = 0
    const t0 = now()
    const f = () => { if (++done === N) { report('immediates_at_once', t0, done); setImmediate(next) } }
    for (let i = 0; i < N; i++) setImmediate(f)
  },
  function immediates_chained (next) {
    let done = 0
    const t0 = now()
    const f = () => { if (++done === N) { report('immediates_chained', t0, done); setImmediate(next) } else setImmediate(f) }
    setImmediate(f)
  },
  function timers_50_durations (next) {
    let done = 0
    const t0 = now()
    const f = () => { if (++done === N) { report('timers_50_durations', t0, done); setImmediate(next) } }
    for (let i = 0; i < N; i++) setTimeout(f, 1 + i % 50)
  }
]

// Each workload twice: the first warms up the JIT and the heap.
let i = 0
const next = () => {
  if (i >= 2 * workloads.length) return
  quiet = i % 2 === 0
  workloads[Math.floor(i++ / 2)](next)
}
next()
