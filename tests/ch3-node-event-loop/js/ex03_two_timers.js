// Twin of Microtasks.ModernModeDrainsAfterEachCallback. The C++ test gives
// the loop 1 ms of start-up so both timers are due before the immediates;
// here a 2 ms busy wait does the same.
for (const n of [1, 2]) {
  setTimeout(() => {
    console.log('t' + n)
    process.nextTick(() => console.log('n' + n))
    Promise.resolve().then(() => console.log('p' + n))
  }, 0)
}
for (const n of [1, 2]) {
  setImmediate(() => {
    console.log('i' + n)
    process.nextTick(() => console.log('in' + n))
  })
}
const t = Date.now(); while (Date.now() - t < 2) {}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | t1
// | n1
// | p1
// | t2
// | n2
// | p2
// | i1
// | in1
// | i2
// | in2
