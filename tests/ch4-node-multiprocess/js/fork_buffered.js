// Twin of ex05 MessagesThatArriveBeforeAListenerWait: the child adds its
// 'message' listener 300 ms late and still gets both messages.
const { fork } = require('child_process')
const child = fork(__dirname + '/fork_child.js', ['listen-late'])
child.send({ n: 1 })
child.send({ n: 2 })
child.on('message', (m) => {
  console.log('parent got ' + JSON.stringify(m))
  child.disconnect()
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | parent got {"got":[{"n":1},{"n":2}]}
