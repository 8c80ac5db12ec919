// Twin of chapter1.ex03 program 5 (microtask_chain).
setTimeout(() => console.log('timeout'), 0)
let n = 0
const again = () => { n += 1; if (n < 3) queueMicrotask(again); else console.log('microtasks done: ' + n) }
queueMicrotask(again)
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | microtasks done: 3
// | timeout
