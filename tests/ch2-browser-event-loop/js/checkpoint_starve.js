// Twin of chapter2.ex02 MicrotasksCanStarveTasks.
setTimeout(() => console.log('task'), 0)
let n = 0
const again = () => { if (++n < 1000) queueMicrotask(again); else console.log('microtask ' + n) }
queueMicrotask(again)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | microtask 1000
// | task
