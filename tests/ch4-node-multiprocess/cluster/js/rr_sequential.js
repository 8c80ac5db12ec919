// Twin of chapter4.ex08 RoundRobin.SequentialConnectionsCycleInListeningOrder:
// with NODE_CLUSTER_SCHED_POLICY=rr (Linux default), one connection at a time,
// the primary hands connections to workers in the order they became free —
// first the order they started listening, then the order they acknowledged.
'use strict';
process.env.NODE_CLUSTER_SCHED_POLICY = 'rr';
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const N = 3;
  let port = 0;
  // Start the workers one after the other so the listening order is 1, 2, 3.
  const startNext = () => {
    if (Object.keys(cluster.workers).length === N) return run();
    const w = cluster.fork();
    w.once('listening', (address) => { port = address.port; startNext(); });
  };
  const get = () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const run = async () => {
    for (let i = 0; i < 7; i++) console.log(await get());
    for (const w of Object.values(cluster.workers)) w.disconnect();
  };
  startNext();
} else {
  http.createServer((req, res) => res.end(`worker ${cluster.worker.id}`)).listen(0, '127.0.0.1');
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | worker 1
// | worker 2
// | worker 3
// | worker 1
// | worker 2
// | worker 3
// | worker 1
