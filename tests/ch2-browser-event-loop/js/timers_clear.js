// Twin of chapter2.ex03 ClearTimeoutCancelsAPendingTimer.
let b
setTimeout(() => { console.log('a clears b'); clearTimeout(b) }, 5)
b = setTimeout(() => console.log('b'), 5)
setTimeout(() => console.log('c'), 10)
clearTimeout(12345)  // unknown id: nothing happens

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a clears b
// | c
