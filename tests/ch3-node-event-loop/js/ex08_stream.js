// Twin of NextTickUses.EmitAfterConstructionReachesListenersAddedAfterIt.
const EventEmitter = require('events').EventEmitter
class StreamLibrary extends EventEmitter {
  constructor (resourceName) { super(); process.nextTick(() => { this.emit('start') }) }
}
class NaiveStreamLibrary extends EventEmitter {
  constructor (resourceName) { super(); this.emit('start') }
}
const good = new StreamLibrary('fooResource')
good.on('start', () => console.log('Reading has started (nextTick)'))
const bad = new NaiveStreamLibrary('fooResource')
bad.on('start', () => console.log('Reading has started (constructor)'))
console.log('listeners added')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | listeners added
// | Reading has started (nextTick)
