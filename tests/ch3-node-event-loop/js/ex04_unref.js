// Twin of Immediates.AnUnrefdImmediateAloneNeverRuns.
setImmediate(() => console.log('never')).unref()
console.log('main')
