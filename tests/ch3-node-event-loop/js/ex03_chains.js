// Twin of Microtasks.PromiseChainsInterleave.
const say = s => () => console.log(s)
Promise.resolve().then(say('a1')).then(say('a2')).then(say('a3'))
Promise.resolve().then(say('b1')).then(say('b2'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | a1
// | b1
// | a2
// | b2
// | a3
