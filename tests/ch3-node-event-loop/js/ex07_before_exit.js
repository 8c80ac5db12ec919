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
