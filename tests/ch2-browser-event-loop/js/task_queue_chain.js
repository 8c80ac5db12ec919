// Twin of chapter2.ex01 ManyTasksQueuedByTasks.
let ran = 0
const step = () => { if (++ran < 100) setTimeout(step, 0) }
setTimeout(step, 0)
setTimeout(() => console.log('other ran after task ' + ran), 0)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | other ran after task 1
