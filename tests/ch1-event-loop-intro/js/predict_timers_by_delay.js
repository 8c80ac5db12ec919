// Twin of chapter1.ex03 program 3 (timers_by_delay).
setTimeout(() => console.log('a'), 100)
setTimeout(() => console.log('b'), 0)
queueMicrotask(() => console.log('c'))
console.log('d')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | d
// | c
// | b
// | a
