const stream = new StreamLibrary('fooResource')

stream.on('start', () => {
  console.log('Reading has started')
})
