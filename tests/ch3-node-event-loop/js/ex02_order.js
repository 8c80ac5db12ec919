// Twin of Timers.ShorterDelaysFirstEqualDelaysInInsertionOrder.
const say = s => () => console.log(s)
setTimeout(say('A 200'), 200)
setTimeout(say('B 100'), 100)
setTimeout(say('C 200'), 200)
setTimeout(say('D 100'), 100)
setTimeout(say('E 150'), 150)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | B 100
// | D 100
// | E 150
// | A 200
// | C 200
