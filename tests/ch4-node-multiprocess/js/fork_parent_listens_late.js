// Twin of ex05 TheParentsLateListenerGetsWhatWaited: the child sends two
// messages at once; the parent adds its 'message' listener 300 ms later and
// still gets both (Node keeps them while the channel is open).
const { fork } = require('child_process')
const child = fork(__dirname + '/fork_child.js', ['send-first'])
let got = 0
setTimeout(() => {
  child.on('message', (m) => {
    console.log('parent got ' + JSON.stringify(m))
    // Not from inside this listener: Node v20 flushes its pending messages
    // in a loop that a disconnect() there breaks (it throws a TypeError).
    if (++got === 2) setImmediate(() => child.disconnect())
  })
}, 300)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | parent got {"n":1}
// | parent got {"n":2}
