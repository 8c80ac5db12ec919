function asyncReal(data, callback) {
  process.nextTick(() => {
    callback(data === 'foo')
  })
}
