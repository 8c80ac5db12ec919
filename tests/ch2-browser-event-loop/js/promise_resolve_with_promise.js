// Twin of chapter2.ex04 ResolvingWithAPromiseInTheExecutorAlsoCostsTwoTicks,
// and Promise.resolve(p) === p (no extra tick).
const q = Promise.resolve('q')
new Promise(resolve => resolve(q)).then(v => console.log('executor followed ' + v))
console.log('same ' + (Promise.resolve(q) === q))
Promise.resolve(q).then(v => console.log('Promise.resolve(q) ' + v))
Promise.resolve().then(() => console.log('b1')).then(() => console.log('b2')).then(() => console.log('b3'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | same true
// | Promise.resolve(q) q
// | b1
// | b2
// | executor followed q
// | b3
