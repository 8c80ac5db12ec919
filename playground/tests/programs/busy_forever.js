console.log('spinning')
setTimeout(() => { while (true) {} }, 0)
