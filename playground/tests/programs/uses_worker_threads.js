const { Worker } = require('worker_threads')
console.log(typeof Worker)
