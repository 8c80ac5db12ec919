// Twin of chapter4.ex09 ClusterLifecycle.AWorkerThatExitsByItselfReportsItsCode.
'use strict';
const cluster = require('cluster');

if (cluster.isPrimary) {
  for (const ev of ['fork', 'online', 'listening', 'disconnect']) {
    cluster.on(ev, (worker) => console.log(`cluster ${ev} ${worker.id}`));
  }
  cluster.on('exit', (worker, code, signal) => {
    console.log(`cluster exit ${worker.id} code=${code} signal=${signal} after_disconnect=${worker.exitedAfterDisconnect}`);
  });
  cluster.fork();
} else {
  process.exit(3);
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | cluster fork 1
// | cluster online 1
// | cluster disconnect 1
// | cluster exit 1 code=3 signal=null after_disconnect=false
