// Twin of NextTickUses.ACallbackThatRunsTooEarlySeesAnUnassignedVariable.
function asyncFake (data, callback) { callback(data === 'foo') }
function asyncReal (data, callback) { process.nextTick(() => { callback(data === 'foo') }) }
let client = null
function connect (api) {
  api('foo', () => console.log(client ? 'client connected' : 'client is not initialized yet'))
  return 'client'
}
client = connect(asyncFake)
client = null
client = connect(asyncReal)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | client is not initialized yet
// | client connected
