// Twin of chapter1.ex02 TimersRunByDueTimeThenByCallOrder.
setTimeout(() => console.log('b 100ms'), 100)
setTimeout(() => console.log('a 5ms'), 5)
setTimeout(() => console.log('c 5ms'), 5)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a 5ms
// | c 5ms
// | b 100ms
