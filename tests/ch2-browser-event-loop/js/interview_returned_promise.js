// Twin of chapter2.ex05 ReturnedPromise.
Promise.resolve()
  .then(() => { console.log('a1'); return Promise.resolve('a2') })
  .then(v => console.log(v))
Promise.resolve()
  .then(() => console.log('b1'))
  .then(() => console.log('b2'))
  .then(() => console.log('b3'))
  .then(() => console.log('b4'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a1
// | b1
// | b2
// | b3
// | a2
// | b4
