// Twin of chapter2.ex02 QueueMicrotaskUsesTheCurrentLoop.
queueMicrotask(() => console.log('promise'))
console.log('main')
