// Twin of ex01 SignalBecomesALoopEventThatDoesNotKeepItAlive: what real Node prints.
process.on('SIGUSR2', (name) => console.log('signal ' + name))
process.on('exit', (code) => console.log('exit ' + code))
console.log('main')
process.kill(process.pid, 'SIGUSR2')
setTimeout(() => console.log('timeout'), 50)
// The signal listener does not keep the process alive: after the timeout, exit.

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | signal SIGUSR2
// | timeout
// | exit 0
