// Twin of chapter4.ex07 HttpServerTimeouts.SlowClientsGet408AndAreClosedLikeNode:
// Node's server with small headersTimeout / requestTimeout, and the same
// clients. A head (or a whole request) that is late gets "408 Request Timeout"
// and the connection is closed — also a connection that sent nothing at all;
// a request that has arrived is never timed out, however slow its handler.
'use strict';
const http = require('http');
const net = require('net');

const server = http.createServer(
  { headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 },
  (req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/slow') setTimeout(() => res.end('ok'), 600);
      else res.end('ok');
    });
  });

// Sends each [delay, bytes] step after the previous one; reports after 1500 ms or at EOF.
function play(port, steps) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let closed = false;
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => { closed = true; done(); });
    const window = setTimeout(() => done(), 1500);
    let reported = false;
    function done() {
      if (reported) return;
      reported = true;
      clearTimeout(window);
      s.destroy();
      const statuses = (got.match(/HTTP\/1\.1 \d{3}/g) || []).map((l) => l.slice(9) + ' ').join('');
      resolve(`${statuses}${closed ? 'then closed' : 'then open'}`);
    }
    let i = 0;
    const next = () => {
      if (i >= steps.length) return;
      const [delay, bytes] = steps[i++];
      setTimeout(() => { if (!s.destroyed) s.write(Buffer.from(bytes, 'latin1')); next(); }, delay);
    };
    next();
  });
}

const trickle = (bytes, every) => Array.from(bytes, (c) => [every, c]);
const head = 'GET / HTTP/1.1\r\nHost: h\r\n\r\n';
const clients = [
  ['silent', []],
  ['half head', [[0, 'GET / HTTP/1.1\r\nHost: h\r\n']]],
  ['trickled head', trickle('GET / HTTP/1.1\r\nX-Trickle: abcdefghijklmnopqrstuvwxyz\r\n\r\n', 30)],
  ['trickled body', [[0, 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 40\r\n\r\n'], ...trickle('x'.repeat(40), 30)]],
  ['complete then half', [[0, head + 'GET /2 HTTP/1.1\r\n']]],
  ['prompt keep-alive', Array.from({ length: 8 }, () => [100, head])],
  ['slow handler', [[0, 'GET /slow HTTP/1.1\r\nHost: h\r\n\r\n']]],
  ['nul in a value', [[0, 'GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n']]],
];

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const results = await Promise.all(clients.map(([, steps]) => play(port, steps)));
  clients.forEach(([name], i) => console.log(`${name}: ${results[i]}`));
  server.close();
});

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | silent: 408 then closed
// | half head: 408 then closed
// | trickled head: 408 then closed
// | trickled body: 408 then closed
// | complete then half: 200 408 then closed
// | prompt keep-alive: 200 200 200 200 200 200 200 200 then open
// | slow handler: 200 then open
// | nul in a value: 400 then closed
