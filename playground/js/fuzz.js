'use strict';
// make fuzz-order: random deterministic programs (fuzz_gen.js), each run
// natively 3 times (a program whose output varies is dropped and counted)
// and once on the loop through the bridge; every mismatch is shrunk and
// written to OUT/ as a file a developer reruns with `kata.py js FILE`.
//
//   playground_driver -- node --expose-internals fuzz.js --n 200 --seed 1 --out build/fuzz-order
//
// Prints progress on stderr and one JSON summary line on stdout:
// {"tried","agreed","dropped","mismatched","seconds","files"}.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { Wire } = require('./wire');
const { Runner } = require('./runner');
const { generate, emit, shrinks } = require('./fuzz_gen');

function args(argv) {
  const o = { n: 200, seed: 1, out: 'build/fuzz-order', jobs: Math.max(1, Math.min(4, os.cpus().length)), legacy: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--n') o.n = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--jobs') o.jobs = Number(argv[++i]);
    else if (a === '--legacy-node10') o.legacy = true;  // shows the shrinker at work: Node 10's order differs
    else throw new Error('fuzz.js: unknown argument ' + a);
  }
  return o;
}

function runNative(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: path.dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('close', (code) => { clearTimeout(timer); resolve(JSON.stringify([out, code])); });
  });
}

async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

let LEGACY = false;
function onLoop(wire, file, source) {
  const r = new Runner(wire, { file, source, legacy: LEGACY, startupMs: 0, trace: false, maxCallbacks: 100000,
                               deadline: Date.now() + 10000, startMs: Date.now() }).run();
  return JSON.stringify([r.stdout.length ? r.stdout.join('\n') + '\n' : '', r.exit]);
}

// node's one output if its 3 runs agree, else null
async function nativeOnce(file, jobs) {
  const outs = await pool([0, 1, 2].map(() => () => runNative(file)), jobs);
  return outs.every((o) => o === outs[0]) ? outs[0] : null;
}

async function main() {
  const o = args(process.argv.slice(2));
  LEGACY = o.legacy;
  const started = Date.now();
  const wire = new Wire();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-order-'));
  fs.mkdirSync(o.out, { recursive: true });
  const stats = { tried: 0, agreed: 0, dropped: 0, mismatched: 0, seconds: 0, files: [] };
  const batch = 8;
  for (let start = 0; start < o.n; start += batch) {
    const progs = [];
    for (let k = start; k < Math.min(o.n, start + batch); k++) {
      const prog = generate(o.seed * 1000003 + k);
      const file = path.join(tmp, `p${k}.js`);
      fs.writeFileSync(file, emit(prog));
      progs.push({ prog, file });
    }
    // 3 native runs of every program of the batch, `jobs` at a time
    const tasks = [];
    for (const p of progs) for (let r = 0; r < 3; r++) tasks.push(() => runNative(p.file));
    const outs = await pool(tasks, o.jobs);
    for (let i = 0; i < progs.length; i++) {
      const { prog, file } = progs[i];
      stats.tried++;
      const three = outs.slice(3 * i, 3 * i + 3);
      if (!three.every((x) => x === three[0])) { stats.dropped++; continue; }
      const looped = onLoop(wire, file, fs.readFileSync(file, 'utf8'));
      if (looped === three[0]) { stats.agreed++; continue; }
      stats.mismatched++;
      const small = await shrink(wire, prog, tmp, o.jobs);
      const name = path.join(o.out, `mismatch-seed${prog.seed}.js`);
      const src = emit(small.prog);
      const [nodeOut] = JSON.parse(small.node), [loopOut] = JSON.parse(small.loop);
      const note = (label, text) => text.split('\n').filter(Boolean).map((l) => `//   ${l}`).join('\n') || '//   (nothing)';
      fs.writeFileSync(name, `${src}\n// node prints:\n${note('node', nodeOut)}\n// the loop prints:\n${note('loop', loopOut)}\n` +
        `// rerun: python3 tools/kata.py js ${name}${LEGACY ? " --legacy-node10" : ""}\n`);
      stats.files.push(name);
      process.stderr.write(`fuzz-order: MISMATCH (seed ${prog.seed}), shrunk to ${name}\n`);
    }
    process.stderr.write(`fuzz-order: ${stats.tried}/${o.n} tried, ${stats.agreed} agreed, ${stats.dropped} dropped, ${stats.mismatched} mismatched\r`);
  }
  process.stderr.write('\n');
  stats.seconds = (Date.now() - started) / 1000;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeSync(1, JSON.stringify(stats) + '\n');
  wire.send('B');
  wire.flush();
}

// Greedy: keep any smaller variant that is still deterministic in node and still differs.
async function shrink(wire, prog, tmp, jobs) {
  let best = prog;
  let file = path.join(tmp, 'shrink.js');
  fs.writeFileSync(file, emit(best));
  let bestNode = await nativeOnce(file, jobs), bestLoop = onLoop(wire, file, emit(best));
  let tries = 0;
  for (let improved = true; improved && tries < 150;) {
    improved = false;
    for (const cand of shrinks(best)) {
      if (++tries > 150) break;
      fs.writeFileSync(file, emit(cand));
      const n = await nativeOnce(file, jobs);
      if (n === null) continue;
      const l = onLoop(wire, file, emit(cand));
      if (l !== n) { best = cand; bestNode = n; bestLoop = l; improved = true; break; }
    }
  }
  return { prog: best, node: bestNode, loop: bestLoop };
}

main().catch((e) => { process.stderr.write(String(e.stack) + '\n'); process.exit(1); });
