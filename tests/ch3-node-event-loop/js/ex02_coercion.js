// Twin of Timers.CoercedDelaysAllFireAtOneMillisecondInCallOrder.
process.removeAllListeners('warning') // 2 ** 31 prints a TimeoutOverflowWarning
const say = s => () => console.log(s)
setTimeout(say('a 0'), 0)
setTimeout(say('b -5'), -5)
setTimeout(say('c NaN'), NaN)
setTimeout(say('d 2^31'), 2 ** 31)
setTimeout(say('e 1.9'), 1.9)
setTimeout(say('f 1'), 1)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a 0
// | b -5
// | c NaN
// | d 2^31
// | e 1.9
// | f 1
