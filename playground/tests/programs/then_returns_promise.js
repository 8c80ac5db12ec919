const log = (s) => console.log(s)
Promise.resolve().then(() => { log('a'); return Promise.resolve('x') }).then((v) => log('got ' + v))
Promise.resolve().then(() => log('b1')).then(() => log('b2')).then(() => log('b3')).then(() => log('b4')).then(() => log('b5'))
