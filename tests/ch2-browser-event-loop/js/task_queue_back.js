// Twin of chapter2.ex01 TasksQueuedByATaskGoToTheBack.
setTimeout(() => {
  console.log('a')
  setTimeout(() => console.log('c (queued by a)'), 0)
}, 0)
setTimeout(() => console.log('b'), 0)
