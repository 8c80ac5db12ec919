// Twin of Phases.AnUnrefdTimerAloneDoesNotKeepTheLoopAlive.
setTimeout(() => console.log('never'), 10).unref()
console.log('main')
