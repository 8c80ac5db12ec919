// Twin of chapter2.ex01 RunsTheOldestTaskFirst. Each setTimeout(fn, 0)
// queues a task; equal delays run first-in, first-out.
setTimeout(() => console.log('a'), 0)
setTimeout(() => console.log('b'), 0)
setTimeout(() => console.log('c'), 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a
// | b
// | c
