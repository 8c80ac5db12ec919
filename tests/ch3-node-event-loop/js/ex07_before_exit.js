// Twin of Process.BeforeExitRunsTheLoopAgainWhileListenersScheduleWork.
let n = 0
process.on('beforeExit', code => {
  console.log('beforeExit ' + code)
  if (n++ < 2) setTimeout(() => console.log('more ' + n), 0)
})
process.on('exit', code => {
  console.log('exit ' + code)
  process.exitCode = 0 // so node itself exits 0 (the harness checks it)
})
process.exitCode = 3

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | beforeExit 3
// | more 1
// | beforeExit 3
// | more 2
// | beforeExit 3
// | exit 3
