function asyncFake(data, callback) {
  if (data === 'foo') callback(true)
  else callback(false)
}

asyncFake('bar', (result) => {
  // this callback is actually called synchronously!
})
