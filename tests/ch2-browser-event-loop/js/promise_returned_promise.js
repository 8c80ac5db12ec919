// Twin of chapter2.ex04 AReturnedPromiseCostsTwoExtraTicks (the classic
// "0 1 2 3 4 5 6" puzzle).
Promise.resolve().then(() => { console.log('0'); return Promise.resolve('4') }).then(x => console.log(x))
Promise.resolve()
  .then(() => console.log('1'))
  .then(() => console.log('2'))
  .then(() => console.log('3'))
  .then(() => console.log('5'))
  .then(() => console.log('6'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | 0
// | 1
// | 2
// | 3
// | 4
// | 5
// | 6
