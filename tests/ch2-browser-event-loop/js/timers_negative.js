// Twin of chapter2.ex03 NegativeDelayIsZero (order only; node makes both 1 ms).
setTimeout(() => console.log('zero'), 0)
setTimeout(() => console.log('negative'), -10)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | zero
// | negative
