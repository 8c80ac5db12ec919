'use strict';
// The host's end of the pipe to the C++ driver (playground/PROTOCOL.md):
// blocking reads on fd 3, writes to fd 4. Requests are buffered and sent
// when the host waits for an answer (every wait flushes first).
const fs = require('fs');

class Wire {
  constructor(inFd = 3, outFd = 4) {
    this.inFd = inFd;
    this.outFd = outFd;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.out = [];
    this.chunk = Buffer.allocUnsafe(1 << 16);
  }
  send(line) {
    this.out.push(line, '\n');
  }
  flush() {
    if (this.out.length === 0) return;
    const data = Buffer.from(this.out.join(''), 'utf8');
    this.out = [];
    let off = 0;
    while (off < data.length) off += fs.writeSync(this.outFd, data, off, data.length - off);
  }
  fill() {
    let n;
    for (;;) {
      try {
        n = fs.readSync(this.inFd, this.chunk, 0, this.chunk.length, null);
        break;
      } catch (e) {
        if (e.code === 'EAGAIN' || e.code === 'EINTR') continue;
        throw e;
      }
    }
    if (n === 0) throw new Error('playground: the C++ driver went away');
    const rest = this.buf.subarray(this.pos);
    this.buf = Buffer.concat([rest, this.chunk.subarray(0, n)]);
    this.pos = 0;
  }
  // The next message: { tag, f: [fields...], rest }.
  read() {
    this.flush();
    let nl;
    while ((nl = this.buf.indexOf(10, this.pos)) < 0) this.fill();
    const line = this.buf.toString('utf8', this.pos, nl);
    this.pos = nl + 1;
    const rest = line.length > 2 ? line.slice(2) : '';
    return { tag: line[0], f: rest === '' ? [] : rest.split(' '), rest };
  }
  readBytes(n) {
    while (this.buf.length - this.pos < n) this.fill();
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }
}

module.exports = { Wire };
