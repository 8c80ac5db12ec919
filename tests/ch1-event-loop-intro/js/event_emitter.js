// JavaScript twin of ex01_event_emitter_test.cpp: what real Node prints.
const EventEmitter = require('events')

{ // EmitCallsListenersInRegistrationOrderWithArguments
  const e = new EventEmitter()
  e.on('start', (r) => console.log('first ' + r))
  e.on('start', (r) => console.log('second ' + r))
  e.emit('start', 'fooResource')
}
{ // OnceFiresOnlyOnce
  const e = new EventEmitter()
  e.once('ready', () => console.log('once'))
  e.on('ready', () => console.log('on'))
  e.emit('ready'); e.emit('ready')
}
{ // RemovalDuringEmitNeitherSkipsNorRepeats
  const e = new EventEmitter()
  const b = () => console.log('b')
  e.on('x', () => { console.log('a'); e.off('x', b) })
  e.on('x', b)
  e.on('x', () => console.log('c'))
  e.emit('x'); e.emit('x')
}
{ // NestedEmitCallsAOnceListenerOnlyOnce
  const e = new EventEmitter()
  let nested = false
  e.on('x', () => { console.log('outer'); if (!nested) { nested = true; e.emit('x') } })
  e.once('x', () => console.log('once'))
  e.emit('x')
}
{ // ListenerAddedDuringEmitWaitsForTheNextEmit
  const e = new EventEmitter()
  e.once('x', () => { console.log('a'); e.on('x', () => console.log('late')) })
  e.on('x', () => console.log('b'))
  e.emit('x'); e.emit('x')
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | first fooResource
// | second fooResource
// | once
// | on
// | on
// | a
// | b
// | c
// | a
// | c
// | outer
// | outer
// | once
// | a
// | b
// | b
// | late
