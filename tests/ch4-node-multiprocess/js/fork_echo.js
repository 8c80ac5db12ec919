// Twin of ex05 SeedForkExampleMessagesBothWays (the seed's main.js/child.js).
const { fork } = require('child_process')
const child = fork(__dirname + '/fork_child.js', ['echo'])
child.on('message', (m) => {
  console.log('parent got ' + JSON.stringify(m))
  child.disconnect()
  console.log('connected ' + child.connected)
})
child.on('disconnect', () => console.log('disconnect'))
child.on('exit', (code) => console.log('exit ' + code))
child.send({ hello: 'world' })

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | parent got {"hello":"world"}
// | connected false
// | disconnect
// | exit 0
