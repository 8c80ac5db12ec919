const EventEmitter = require('events').EventEmitter

function StreamLibrary(resourceName) {
  this.emit('start')
}
StreamLibrary.prototype.__proto__ = EventEmitter.prototype // inherit from EventEmitter

const stream = new StreamLibrary('fooResource')

stream.on('start', () => {
  console.log('Reading has started')
})
