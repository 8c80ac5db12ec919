// Twin of chapter4.ex07 HttpParser.ControlCharactersAre400LikeNode: which bytes
// Node's HTTP server (llhttp, default strict mode) refuses with 400 inside a
// header value, a header name and the request target. Each request puts one
// byte b between two letters; the printed ranges are the b that got a 400.
'use strict';
const http = require('http');
const net = require('net');

const server = http.createServer((req, res) => res.end('ok'));

function statusFor(port, bytes) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => resolve(got.slice(9, 12)));
    s.end(bytes);  // the server answers, then closes (Connection: close or the error)
  });
}

const hex = (b) => b.toString(16).padStart(2, '0');
function ranges(list) {
  const out = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    out.push(i === j ? hex(list[i]) : `${hex(list[i])}-${hex(list[j])}`);
    i = j + 1;
  }
  return out.join(',');
}

const tail = 'Connection: close\r\n\r\n';
const places = [
  ['value', (b) => ['GET / HTTP/1.1\r\nHost: h\r\nX: a', b, 'b\r\n' + tail]],
  ['name', (b) => ['GET / HTTP/1.1\r\nHost: h\r\nX', b, 'Y: b\r\n' + tail]],
  ['target', (b) => ['GET /a', b, 'b HTTP/1.1\r\nHost: h\r\n' + tail]],
];

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  for (const [place, make] of places) {
    const statuses = await Promise.all(Array.from({ length: 256 }, (_, b) => {
      const [head, , rest] = make(b);
      return statusFor(port, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from([b]), Buffer.from(rest, 'latin1')]));
    }));
    const bad = [];
    statuses.forEach((st, b) => { if (st === '400') bad.push(b); else if (st !== '200') throw new Error(`${place} ${b}: ${st}`); });
    console.log(`${place} 400: ${ranges(bad)}`);
  }
  server.close();
});

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | value 400: 00-08,0a-1f,7f
// | name 400: 00-20,22,28-29,2c,2f,3b-40,5b-5d,7b,7d,7f-ff
// | target 400: 00-20,7f-ff
