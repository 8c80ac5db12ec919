// Twin of Poll.SimulatedIoCompletesAtItsVirtualTime (order only).
setTimeout(() => console.log('setTimeout 1000'), 1000)
require('fs').readFile(__filename, () => console.log('read done'))

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | read done
// | setTimeout 1000
