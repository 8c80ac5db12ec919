// Twin of chapter1.ex02 NegativeDelayCountsAsZero (order only: node's clock is real).
// Node turns 0 and -5 into 1 ms; the kata's essence loop (like browsers) into 0.
setTimeout(() => console.log('zero'), 0)
setTimeout(() => console.log('negative'), -5)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | zero
// | negative
