// nextTick vs microtasks, nested, in the main script and in callbacks
const log = (s) => console.log(s)
process.nextTick(() => { log('n1'); Promise.resolve().then(() => log('p-from-n1')); process.nextTick(() => log('n-from-n1')) })
Promise.resolve().then(() => { log('p1'); process.nextTick(() => log('n-from-p1')); queueMicrotask(() => log('q-from-p1')) })
queueMicrotask(() => log('q1'))
setTimeout(() => { log('t1'); process.nextTick(() => log('n-t1')); Promise.resolve().then(() => log('p-t1')) }, 0)
setTimeout(() => { log('t2'); Promise.resolve().then(() => log('p-t2')) }, 0)
log('main')
