// Twin of Phases.AnUnrefdTimerAloneDoesNotKeepTheLoopAlive.
setTimeout(() => console.log('never'), 10).unref()
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
