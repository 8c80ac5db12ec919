// Twin of Phases.FromAnIoCallbackCheckThenCloseThenTimers: from an I/O
// callback (poll phase), setImmediate (check) comes first, then a handle's
// close callback (close phase), then the timer (next iteration's timers).
const net = require('net')
const server = net.createServer(() => {})
server.listen(0, '127.0.0.1', () => {
  const sock = net.connect(server.address().port, '127.0.0.1', () => {
    setTimeout(() => console.log('timers'), 0)
    setImmediate(() => console.log('check'))
    sock.on('close', () => { console.log('close callbacks'); server.close() })
    sock.destroy()
    console.log('poll')
  })
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | poll
// | check
// | close callbacks
// | timers
