'use strict';
// The JavaScript host of the playground, started by playground_driver with
// the pipe on fds 3/4 (see driver/main.cpp):
//
//   playground_driver -- node --expose-internals host.js FILE.js [--legacy-node10]
//       [--trace] [--max-callbacks N] [--timeout S] [--race-check]
//
// Prints JSON lines on stdout: {"w":"out"|"err","t":text} as the program
// writes (so a run killed by a timeout keeps what it printed), then
// {"result": {stdout: [lines], stderr, exit, notDone?, stopped?,
// unsupported?, trace?, race?}}.
const fs = require('fs');
const path = require('path');
const { Wire } = require('./wire');
const { Runner } = require('./runner');

function parse(argv) {
  const o = { file: null, legacy: false, trace: false, maxCallbacks: 100000, timeout: 10, raceCheck: false, startupMs: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--legacy-node10') o.legacy = true;
    else if (a === '--trace') o.trace = true;
    else if (a === '--race-check') o.raceCheck = true;
    else if (a === '--max-callbacks') o.maxCallbacks = Number(argv[++i]);
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--startup-ms') o.startupMs = Number(argv[++i]);
    else if (!o.file) o.file = a;
    else throw new Error(`host.js: unexpected argument ${a}`);
  }
  return o;
}

function main() {
  const o = parse(process.argv.slice(2));
  const file = path.resolve(o.file);
  const source = fs.readFileSync(file, 'utf8');
  const wire = new Wire();
  const emit = (obj) => fs.writeSync(1, JSON.stringify(obj) + '\n');
  const started = Date.now();
  const runOnce = (startupMs, stream, trace) => new Runner(wire, {
    file, source, legacy: o.legacy, startupMs, trace, maxCallbacks: o.maxCallbacks,
    deadline: started + o.timeout * 1000, startMs: Date.now(),
    onWrite: stream ? (w, t) => emit({ w, t }) : null,
    onAbandon: (r) => emit({ result: r }),
  }).run();
  const result = runOnce(o.startupMs, true, o.trace);
  if (o.raceCheck && !result.notDone && !result.unsupported && !result.stopped && result.exit !== undefined) {
    // The seed's setTimeout(1) vs setImmediate: decided by the time node's
    // bootstrap takes. Run again as if it took 1 ms: another output = a race.
    const other = runOnce(o.startupMs + 1, false, false);
    // Only another order counts (code 1's "20ms" vs "21ms" is the clock, not a race).
    const shape = (lines) => JSON.stringify(lines.map((l) => l.replace(/\d+/g, '#')));
    if (shape(other.stdout) !== shape(result.stdout)) {
      result.race = { startup_ms: o.startupMs + 1, stdout: other.stdout };
    }
  }
  emit({ result });
  wire.send('B');
  wire.flush();
}

main();
