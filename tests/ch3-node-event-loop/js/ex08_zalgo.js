// Twin of NextTickUses.AsyncFakeCallsBackBeforeTheCallersNextLine.
function asyncFake (data, callback) { callback(data === 'foo') }
function asyncReal (data, callback) { process.nextTick(() => { callback(data === 'foo') }) }
console.log('before asyncFake')
asyncFake('foo', r => console.log('asyncFake callback ' + r))
console.log('after asyncFake')
console.log('before asyncReal')
asyncReal('bar', r => console.log('asyncReal callback ' + r))
console.log('after asyncReal')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | before asyncFake
// | asyncFake callback true
// | after asyncFake
// | before asyncReal
// | after asyncReal
// | asyncReal callback false
