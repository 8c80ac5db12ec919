// Twin of chapter2.ex03 EqualDelaysFireInCallOrder.
setTimeout(() => console.log('a 50ms'), 50)
setTimeout(() => console.log('b 50ms'), 50)
setTimeout(() => console.log('c 2ms'), 2)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | c 2ms
// | a 50ms
// | b 50ms
