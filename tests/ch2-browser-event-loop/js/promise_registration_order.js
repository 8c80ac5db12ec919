// Twin of chapter2.ex04 ReactionsRunInRegistrationOrder.
const p = Promise.resolve('v')
p.then(() => console.log('h1'))
queueMicrotask(() => console.log('m'))
p.then(() => console.log('h2'))
let resolveLater
const pending = new Promise(r => { resolveLater = r })
pending.then(() => console.log('p1'))
pending.then(() => console.log('p2'))
setTimeout(() => resolveLater(), 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | h1
// | m
// | h2
// | p1
// | p2
