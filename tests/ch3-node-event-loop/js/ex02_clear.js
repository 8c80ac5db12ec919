// Twin of Timers.ClearTimeoutFromAnotherCallback.
let second
setTimeout(() => { console.log('first clears second'); clearTimeout(second) }, 10)
second = setTimeout(() => console.log('second'), 10)
setTimeout(() => console.log('third'), 10)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | first clears second
// | third
