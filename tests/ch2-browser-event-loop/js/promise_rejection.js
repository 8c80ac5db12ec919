// Twin of chapter2.ex04 ARejectionSkipsThensAndReachesCatch: each skipped
// then still costs one tick (watch the b chain).
Promise.reject(new Error('boom'))
  .then(() => console.log('never 1'))
  .then(() => console.log('never 2'))
  .catch(e => { console.log('caught ' + e.message); return 'recovered' })
  .then(v => console.log(v))
Promise.resolve().then(() => console.log('b1')).then(() => console.log('b2')).then(() => console.log('b3')).then(() => console.log('b4'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | b1
// | b2
// | caught boom
// | b3
// | recovered
// | b4
