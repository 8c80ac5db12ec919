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
