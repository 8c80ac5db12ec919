process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin))
setTimeout(() => { throw new Error('from a timer') }, 0)
setTimeout(() => console.log('the loop goes on'), 0)
process.on('exit', (code) => console.log('exit', code))
