// The child of the fork twins (the seed's child.js, with modes).
const mode = process.argv[2]
if (mode === 'echo') process.on('message', (m) => process.send(m))
if (mode === 'send-and-exit') { process.send({ n: 1 }); process.send({ n: 2 }) }
if (mode === 'send-first') {
  process.send({ n: 1 })
  process.send({ n: 2 })
  process.on('message', (m) => process.send(m))
}
if (mode === 'listen-late') {
  setTimeout(() => {
    const got = []
    process.on('message', (m) => got.push(m))
    setTimeout(() => process.send({ got }), 100)
  }, 300)
}
