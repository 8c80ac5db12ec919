// Twin of Immediates.AnUnrefdImmediateAloneNeverRuns.
setImmediate(() => console.log('never')).unref()
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
