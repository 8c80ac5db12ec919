// The seed's cluster program (利用cluster开启多进程), as the lab runs it:
// one worker per CPU, "hello world\n" on every request. Additions, for
// measuring only: PORT / WORKERS from the environment, 127.0.0.1 only, and on
// SIGTERM the primary asks each worker how many requests it served, writes
// {"policy":"node","workers":N,"served":{...}} to REPORT (or stdout) and exits.
'use strict';
const cluster = require('cluster');
const http = require('http');
const fs = require('fs');
const numCPUs = +(process.env.WORKERS || require('os').cpus().length);
const port = +(process.env.PORT || 8000);

if (cluster.isPrimary) {
  for (let i = 0; i < numCPUs; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (!worker.exitedAfterDisconnect) console.error(`worker ${worker.process.pid} died`);
  });
  const served = {};
  process.on('SIGTERM', () => {
    const workers = Object.values(cluster.workers);
    let left = workers.length;
    for (const w of workers) {
      w.once('message', (m) => {
        served[w.id] = m.served;
        if (--left === 0) {
          const out = JSON.stringify({ policy: 'node', workers: numCPUs, served }) + '\n';
          if (process.env.REPORT) fs.writeFileSync(process.env.REPORT, out);
          else fs.writeSync(1, out);
          cluster.disconnect(() => process.exit(0));
        }
      });
      w.send('report');
    }
  });
} else {
  let served = 0;
  http.createServer((req, res) => {
    served++;
    res.writeHead(200);
    res.end('hello world\n');
  }).listen(port, '127.0.0.1');
  process.on('message', () => process.send({ served }));
}
