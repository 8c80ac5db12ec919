// Twin of chapter2.ex03 EqualDelaysFireInCallOrder.
setTimeout(() => console.log('a 50ms'), 50)
setTimeout(() => console.log('b 50ms'), 50)
setTimeout(() => console.log('c 2ms'), 2)
