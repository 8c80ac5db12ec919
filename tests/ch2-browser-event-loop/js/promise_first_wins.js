// Twin of chapter2.ex04 TheFirstSettlementWins.
new Promise((resolve, reject) => {
  resolve('first')
  resolve('second')
  reject(new Error('too late'))
}).then(v => console.log('fulfilled ' + v), e => console.log('rejected ' + e.message))
new Promise((resolve, reject) => {
  reject(new Error('no'))
  resolve('too late')
}).then(v => console.log('fulfilled ' + v), e => console.log('rejected ' + e.message))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | fulfilled first
// | rejected no
