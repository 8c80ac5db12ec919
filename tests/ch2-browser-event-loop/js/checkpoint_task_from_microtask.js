// Twin of chapter2.ex02 ATaskQueuedByAMicrotaskWaitsBehindQueuedTasks.
setTimeout(() => console.log('A'), 0)
queueMicrotask(() => setTimeout(() => console.log('B (queued by a microtask)'), 0))
setTimeout(() => console.log('C'), 0)
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | A
// | C
// | B (queued by a microtask)
