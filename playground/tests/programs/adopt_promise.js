// resolve(p) with a promise: two extra ticks (NewPromiseResolveThenableJob, then p's reaction)
const log = (s) => console.log(s)
new Promise((r) => r(Promise.resolve())).then(() => log('adopted'))
Promise.resolve().then(() => log('t1')).then(() => log('t2')).then(() => log('t3')).then(() => log('t4'))
