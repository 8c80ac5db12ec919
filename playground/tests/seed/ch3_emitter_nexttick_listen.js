const EventEmitter = require('events').EventEmitter

function StreamLibrary(resourceName) {
  const self = this

  process.nextTick(() => {
    self.emit('start')
  }) // 保证订阅永远在发布之前

  // read from the file, and for every chunk read, do:

}
StreamLibrary.prototype.__proto__ = EventEmitter.prototype // inherit from EventEmitter

const stream = new StreamLibrary('fooResource')

stream.on('start', () => {
  console.log('Reading has started')
})
