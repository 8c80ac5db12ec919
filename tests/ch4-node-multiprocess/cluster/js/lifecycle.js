// Twin of chapter4.ex09 ClusterLifecycle.*: the events a primary sees for one
// worker that starts, listens, says hello, and is disconnected; then one that
// is killed. Worker listeners are registered before the cluster's, so each
// pair shows which of the two emits first.
'use strict';
process.env.NODE_CLUSTER_SCHED_POLICY = 'rr';
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  for (const ev of ['fork', 'online', 'listening', 'disconnect', 'exit']) {
    cluster.on(ev, (worker, a, b) => {
      if (ev === 'exit') console.log(`cluster exit ${worker.id} code=${a} signal=${b} after_disconnect=${worker.exitedAfterDisconnect}`);
      else console.log(`cluster ${ev} ${worker.id}`);
    });
  }
  cluster.on('message', (worker, msg) => console.log(`cluster message ${worker.id} ${JSON.stringify(msg)}`));
  const first = cluster.fork();
  first.on('online', () => console.log('worker online'));
  first.on('listening', () => console.log('worker listening'));
  first.on('message', (msg) => {
    console.log(`worker message ${JSON.stringify(msg)}`);
    first.disconnect();
  });
  first.on('disconnect', () => console.log('worker disconnect'));
  first.on('exit', (code, signal) => {
    console.log(`worker exit code=${code} signal=${signal}`);
    const second = cluster.fork();
    second.on('listening', () => second.kill('SIGKILL'));
  });
} else {
  http.createServer((req, res) => res.end('hi')).listen(0, '127.0.0.1', () => {
    process.send({ hello: cluster.worker.id });
  });
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | cluster fork 1
// | worker online
// | cluster online 1
// | cluster message 1 {"hello":1}
// | worker message {"hello":1}
// | worker listening
// | cluster listening 1
// | worker disconnect
// | cluster disconnect 1
// | worker exit code=0 signal=null
// | cluster exit 1 code=0 signal=null after_disconnect=true
// | cluster fork 2
// | cluster online 2
// | cluster message 2 {"hello":2}
// | cluster listening 2
// | cluster disconnect 2
// | cluster exit 2 code=null signal=SIGKILL after_disconnect=false
