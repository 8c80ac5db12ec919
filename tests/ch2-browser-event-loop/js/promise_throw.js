// Twin of chapter2.ex04 AHandlerThatThrowsRejectsTheNextPromise.
Promise.resolve(1)
  .then(() => { throw new Error('bad') })
  .then(() => console.log('skipped'), e => { console.log('caught ' + e.message); return 7 })
  .then(v => console.log('then ' + v))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | caught bad
// | then 7
