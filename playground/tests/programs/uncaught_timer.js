console.log('start')
setTimeout(() => {
  throw new Error('boom')
}, 0)
setTimeout(() => console.log('not reached'), 0)
