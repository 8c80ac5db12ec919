const EventEmitter = require('events').EventEmitter

function StreamLibrary(resourceName) {
  this.emit('start')
}
StreamLibrary.prototype.__proto__ = EventEmitter.prototype // inherit from EventEmitter
