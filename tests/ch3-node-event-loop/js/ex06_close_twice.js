// Twin of Close.HandleClosedByACloseCallbackWaitsForTheNextIteration:
// socket 2 is destroyed from socket 1's close callback.
const net = require('net')
const server = net.createServer(() => {})
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port
  let connected = 0
  const s1 = net.connect(port, '127.0.0.1', go)
  const s2 = net.connect(port, '127.0.0.1', go)
  function go () {
    if (++connected < 2) return
    s1.on('close', () => {
      console.log('close 1')
      setImmediate(() => console.log('immediate'))
      s2.destroy()
    })
    s2.on('close', () => { console.log('close 2'); server.close() })
    s1.destroy()
  }
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | close 1
// | immediate
// | close 2
