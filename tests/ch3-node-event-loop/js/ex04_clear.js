// Twin of Immediates.ClearImmediateFromAnEarlierImmediate.
let b
setImmediate(() => { console.log('A clears B'); clearImmediate(b) })
b = setImmediate(() => console.log('B'))
setImmediate(() => console.log('C'))
