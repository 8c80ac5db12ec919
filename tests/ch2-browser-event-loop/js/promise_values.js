// Twin of chapter2.ex04 ValuesFlowDownTheChain.
Promise.resolve(1)
  .then(x => x + 1)
  .then(x => 'value ' + x)
  .then(s => console.log(s))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | value 2
