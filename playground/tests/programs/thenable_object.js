const log = (s) => console.log(s)
const thenable = { then(resolve) { log('then called'); resolve('t') } }
Promise.resolve(thenable).then((v) => log('thenable gave ' + v))
Promise.resolve().then(() => log('c1')).then(() => log('c2')).then(() => log('c3'))
new Promise((r) => r({ then(res, rej) { rej(new Error('no')) } })).catch((e) => log('caught ' + e.message))
