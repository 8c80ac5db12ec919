// Twin of Immediates.ClearImmediateFromAnEarlierImmediate.
let b
setImmediate(() => { console.log('A clears B'); clearImmediate(b) })
b = setImmediate(() => console.log('B'))
setImmediate(() => console.log('C'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | A clears B
// | C
