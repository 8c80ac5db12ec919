// Twin of Timers.ShorterDelaysFirstEqualDelaysInInsertionOrder.
const say = s => () => console.log(s)
setTimeout(say('A 200'), 200)
setTimeout(say('B 100'), 100)
setTimeout(say('C 200'), 200)
setTimeout(say('D 100'), 100)
setTimeout(say('E 150'), 150)
