// Twin of Predict.Code2...: the seed's 代码执行 2. The seed's read "takes
// 9 ms"; here a child process that sleeps 50 ms stands in for slow I/O (its
// callback also arrives through the poll phase).
const { execFile } = require('child_process')
const timeoutScheduled = Date.now()
let delay = 0
setTimeout(() => { delay = Date.now() - timeoutScheduled }, 5)
execFile('sleep', ['0.05'], () => {
  const fileReadTime = Date.now()
  while (Date.now() - fileReadTime < 20) {}
  const read = fileReadTime - timeoutScheduled
  console.log('timer fired before the read finished: ' + (delay > 0 && delay < read))
  console.log('timer fired on time (before the busy loop): ' + (delay > 0 && delay < read + 20))
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | timer fired before the read finished: true
// | timer fired on time (before the busy loop): true
