// Twin of chapter2.ex06 ReturningAPromiseCostsTwoTicks.
async function g() { return Promise.resolve('g') }
async function h() { return 'h' }
g().then(v => console.log(v))
h().then(v => console.log(v))
Promise.resolve().then(() => console.log('b1')).then(() => console.log('b2'))
  .then(() => console.log('b3')).then(() => console.log('b4'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | h
// | b1
// | b2
// | g
// | b3
// | b4
