// Twin of Immediates.RunInOrderInTheCheckPhase.
setImmediate(() => console.log('i1'))
setImmediate(() => console.log('i2'))
setImmediate(() => console.log('i3'))
console.log('main')
