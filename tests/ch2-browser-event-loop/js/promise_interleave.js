// Twin of chapter2.ex04 TwoChainsInterleaveOneStepPerTick.
Promise.resolve().then(() => console.log('a1')).then(() => console.log('a2')).then(() => console.log('a3'))
Promise.resolve().then(() => console.log('b1')).then(() => console.log('b2')).then(() => console.log('b3'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a1
// | b1
// | a2
// | b2
// | a3
// | b3
