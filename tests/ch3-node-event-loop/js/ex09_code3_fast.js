// Twin of Predict.Code3FastStartImmediateFirst: the seed's 代码执行 3 as is.
// Its order depends on how long the loop takes to start, so it is run in
// fresh node processes until one shows the fast-start order (semantics.md:
// 13 of 20 runs did); prints that order, or every order seen if none did.
const { spawnSync } = require('child_process')
const program = `
setTimeout(() => { console.log('timeout') }, 1)
setImmediate(() => { console.log('immediate') })
`
const seen = new Set()
for (let i = 0; i < 50; i++) {
  const out = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' }).stdout
  if (out === 'immediate\ntimeout\n') { process.stdout.write(out); process.exit(0) }
  seen.add(JSON.stringify(out))
}
console.log('never saw immediate first; saw ' + [...seen].join(' '))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | immediate
// | timeout
