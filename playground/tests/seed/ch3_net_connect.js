var client = net.connect(8124, () => {
  console.log('client connected')
  client.write('world!\r\n')
})
