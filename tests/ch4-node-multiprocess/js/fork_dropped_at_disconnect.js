// Twin of ex05 MessagesNobodyListenedForAreDroppedAtDisconnect: the child
// sends two messages and exits; the channel closes before the parent listens,
// and Node drops the pending messages when it emits 'disconnect': a listener
// added after it gets nothing. (The listener is added once 'disconnect' was
// seen, not after a fixed delay: on a busy machine the child may take longer
// than any delay to start, send and exit.)
const { fork } = require('child_process')
const child = fork(__dirname + '/fork_child.js', ['send-and-exit'])
child.on('disconnect', () => {
  console.log('disconnect')
  setImmediate(() => {
    child.on('message', (m) => console.log('parent got ' + JSON.stringify(m)))
    console.log('listening')
  })
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | disconnect
// | listening
