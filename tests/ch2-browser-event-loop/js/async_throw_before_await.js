// Twin of chapter2.ex06 AnAsyncFunctionNeverThrowsAtItsCaller.
async function bad() {
  console.log('bad runs')
  throw new Error('early')
}
bad().catch(e => console.log('caught ' + e.message))
console.log('after the call')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | bad runs
// | after the call
// | caught early
