// Twin of chapter1.ex02 TimersRunByDueTimeThenByCallOrder.
setTimeout(() => console.log('b 100ms'), 100)
setTimeout(() => console.log('a 5ms'), 5)
setTimeout(() => console.log('c 5ms'), 5)
