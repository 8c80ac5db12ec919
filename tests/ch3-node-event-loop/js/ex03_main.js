// Twin of Microtasks.AfterTheMainScriptTicksFirstThenPromises.
setTimeout(() => console.log('setTimeout'), 0)
Promise.resolve().then(() => console.log('promise'))
queueMicrotask(() => console.log('queueMicrotask'))
process.nextTick(() => console.log('nextTick'))
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | nextTick
// | promise
// | queueMicrotask
// | setTimeout
