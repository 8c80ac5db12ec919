// Twin of Poll.SimulatedIoCompletesAtItsVirtualTime (order only).
setTimeout(() => console.log('setTimeout 1000'), 1000)
require('fs').readFile(__filename, () => console.log('read done'))
