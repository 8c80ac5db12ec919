// Twin of chapter2.ex04 FollowingAPendingPromiseWaitsForIt.
const late = new Promise(resolve => setTimeout(() => { console.log('timer resolves late'); resolve('late') }, 10))
Promise.resolve().then(() => late).then(v => console.log('followed ' + v))
setTimeout(() => console.log('timer 100'), 100)
console.log('main')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | main
// | timer resolves late
// | followed late
// | timer 100
