// Twin of chapter2.ex03 MicrotasksRunAfterEachTimer.
setTimeout(() => {
  console.log('t1')
  Promise.resolve().then(() => console.log('p1'))
}, 0)
setTimeout(() => {
  console.log('t2')
  Promise.resolve().then(() => console.log('p2'))
}, 0)
