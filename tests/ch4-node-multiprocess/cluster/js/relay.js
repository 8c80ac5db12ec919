// Twin of chapter4.ex11 Supervision.WorkersTalkThroughThePrimary: workers have
// no channel to each other (the seed: 通过 Master 来转发), so worker 1's ping to
// worker 2 and the pong back are relayed by the primary, by worker id.
'use strict';
const cluster = require('cluster');

if (cluster.isPrimary) {
  let online = 0;
  cluster.on('online', () => {
    if (++online === 2) cluster.workers[1].send({ data: 'start', peer: 2 });
  });
  cluster.on('message', (worker, msg) => {
    console.log(`from ${worker.id}: ${JSON.stringify(msg)}`);
    if ('to' in msg) cluster.workers[msg.to].send({ from: worker.id, data: msg.data });
    if ('done' in msg) cluster.disconnect();
  });
  cluster.fork();
  cluster.fork();
} else {
  process.on('message', (m) => {
    if (m.data === 'start') process.send({ to: m.peer, data: 'ping' });
    if (m.data === 'ping') process.send({ to: m.from, data: 'pong' });
    if (m.data === 'pong') process.send({ done: m.from });
  });
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | from 1: {"to":2,"data":"ping"}
// | from 2: {"to":1,"data":"pong"}
// | from 1: {"done":2}
