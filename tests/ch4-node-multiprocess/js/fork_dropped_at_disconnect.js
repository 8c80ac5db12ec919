// Twin of ex05 MessagesNobodyListenedForAreDroppedAtDisconnect: the child
// sends two messages and exits; the channel closes before the parent listens,
// and Node drops the pending messages when it emits 'disconnect'.
const { fork } = require('child_process')
const child = fork(__dirname + '/fork_child.js', ['send-and-exit'])
child.on('disconnect', () => console.log('disconnect'))
setTimeout(() => {
  child.on('message', (m) => console.log('parent got ' + JSON.stringify(m)))
  console.log('listening')
}, 300)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | disconnect
// | listening
