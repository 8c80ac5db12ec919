// Twin of chapter4.ex09 ClusterLifecycle.KillSendsTheSignalWithoutDisconnecting:
// worker.kill() (SIGTERM) only signals; exitedAfterDisconnect stays false, and
// the primary still sees 'disconnect' before 'exit'.
'use strict';
process.env.NODE_CLUSTER_SCHED_POLICY = 'rr';
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  for (const ev of ['fork', 'online', 'listening', 'disconnect']) {
    cluster.on(ev, (worker) => console.log(`cluster ${ev} ${worker.id}`));
  }
  cluster.on('exit', (worker, code, signal) => {
    console.log(`cluster exit ${worker.id} code=${code} signal=${signal} after_disconnect=${worker.exitedAfterDisconnect}`);
  });
  const w = cluster.fork();
  w.on('listening', () => w.kill());
} else {
  http.createServer((req, res) => res.end('hi')).listen(0, '127.0.0.1');
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | cluster fork 1
// | cluster online 1
// | cluster listening 1
// | cluster disconnect 1
// | cluster exit 1 code=null signal=SIGTERM after_disconnect=false
