// Twin of Timers.TimeoutSetInsideATimerWaitsForALaterIteration.
setTimeout(() => {
  console.log('outer')
  setTimeout(() => console.log('inner timeout'), 0)
  setImmediate(() => console.log('immediate'))
}, 0)
