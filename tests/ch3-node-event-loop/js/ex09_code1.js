// Twin of Predict.Code1...: the seed's 代码执行 1 (with its fileReadtime typo
// fixed, and this file read instead of '/read.txt'); prints the facts the
// numbers show, since real times vary from run to run. Times are scaled
// ×10 (timer 100 ms, busy loop 200 ms) so a busy machine cannot turn a
// 2 ms read into one that outlasts the timer.
const fs = require('fs')
const timeoutScheduled = Date.now()
let fileReadTime = 0
setTimeout(() => {
  const delay = Date.now() - timeoutScheduled
  const read = fileReadTime - timeoutScheduled
  console.log('timer fired after the busy callback: ' + (delay >= read + 200))
  console.log('read finished before the timer was due: ' + (read < 100))
}, 100)
// One read on an open file: one trip to the thread pool (readFile makes
// four), so the read is quick even on a busy machine.
const fd = fs.openSync(__filename, 'r')
fs.read(fd, Buffer.alloc(64), 0, 64, 0, () => {
  fs.closeSync(fd)
  fileReadTime = Date.now()
  while (Date.now() - fileReadTime < 200) {}
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | timer fired after the busy callback: true
// | read finished before the timer was due: true
