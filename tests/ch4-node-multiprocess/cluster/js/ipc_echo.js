// Twin of chapter4.ex09 ClusterLifecycle.MessagesGoBothWays — the seed's IPC
// example (IPC通信), plus a disconnect so the program ends.
'use strict';
const cluster = require('cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.send('hi there');
  worker.on('message', (msg) => {
    console.log(`msg: ${msg} from worker#${worker.id}`);
    worker.disconnect();
  });
} else if (cluster.isWorker) {
  process.on('message', (msg) => {
    process.send(msg);
  });
}

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | msg: hi there from worker#1
