// Twin of Microtasks.AfterTheMainScriptTicksFirstThenPromises.
setTimeout(() => console.log('setTimeout'), 0)
Promise.resolve().then(() => console.log('promise'))
queueMicrotask(() => console.log('queueMicrotask'))
process.nextTick(() => console.log('nextTick'))
console.log('main')
