// Twin of chapter2.ex03 ZeroIsZeroInTheBrowserButOneInNode — where node and
// the HTML model DIFFER: node turns 0 into 1 ms, so both timers share the
// 1 ms list and run in call order: one, zero. In the HTML model (and current
// browsers) 0 stays 0: zero, one.
setTimeout(() => console.log('one'), 1)
setTimeout(() => console.log('zero'), 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | one
// | zero
