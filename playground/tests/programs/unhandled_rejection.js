console.log('main')
Promise.reject(new Error('rejected'))
setTimeout(() => console.log('not reached'), 0)
