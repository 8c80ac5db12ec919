// Twin of chapter2.ex06 EachAwaitIsOneTick.
async function f() {
  console.log('f1')
  await Promise.resolve()
  console.log('f2')
  await Promise.resolve()
  console.log('f3')
}
f()
Promise.resolve().then(() => console.log('b1')).then(() => console.log('b2')).then(() => console.log('b3'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | f1
// | f2
// | b1
// | f3
// | b2
// | b3
