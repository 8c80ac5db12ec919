// Twin of chapter2.ex05 TimersAndPromises.
setTimeout(() => { console.log('t1'); Promise.resolve().then(() => console.log('p1')) }, 0)
setTimeout(() => { console.log('t2'); Promise.resolve().then(() => console.log('p2')) }, 0)
Promise.resolve().then(() => { console.log('p0'); setTimeout(() => console.log('t3'), 0) })
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | p0
// | t1
// | p1
// | t2
// | p2
// | t3
