'use strict';
// Random programs in the subset where node's order does not depend on time
// (playground/README.md, "Differential fuzzing"), as trees:
//   micro     nextTick / promise / queueMicrotask / then-chains / adoption, nested
//   timers    timers of ONE delay at any depth (+ intervals), microtasks inside
//   immediates  setImmediate at any depth, microtasks inside
//   readfile  one fs.readFile; inside it immediates (flat) and timers (any depth)
// Two macrotask kinds that race (a top-level timer vs an immediate) never mix.

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MICRO = ['tick', 'prom', 'qm', 'chain', 'adopt'];

function generate(seed) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const family = pick(['micro', 'timers', 'immediates', 'readfile']);
  const delay = pick([0, 1, 2, 5]);
  let labels = 0, budget = 6 + Math.floor(r() * 16);
  const log = () => ({ t: 'log', id: ++labels });

  // kinds allowed in a context
  function kinds(ctx) {
    const k = ['log', 'log', ...MICRO];
    if (family === 'timers') k.push('timeout', 'timeout', 'interval');
    if (family === 'immediates') k.push('imm', 'imm');
    if (family === 'readfile' && ctx.inFile) {
      if (!ctx.inMacro) k.push('imm', 'timeout');
      else if (ctx.inTimer) k.push('timeout');
    }
    return k;
  }
  function children(ctx, depth) {
    const n = depth > 3 ? 1 : 1 + Math.floor(r() * 3);
    const out = [];
    for (let i = 0; i < n && budget > 0; i++) out.push(node(ctx, depth));
    if (out.length === 0) out.push(log());
    return out;
  }
  function node(ctx, depth) {
    budget--;
    const t = depth > 4 ? 'log' : pick(kinds(ctx));
    switch (t) {
      case 'log': return log();
      case 'chain': return { t, ids: Array.from({ length: 1 + Math.floor(r() * 3) }, () => ++labels) };
      case 'timeout': return { t, c: children({ ...ctx, inMacro: true, inTimer: true }, depth + 1) };
      case 'interval': return { t, k: 1 + Math.floor(r() * 3), id: ++labels, c: children({ ...ctx, inMacro: true, inTimer: true }, depth + 1) };
      case 'imm': return { t, c: children({ ...ctx, inMacro: true, inTimer: false }, depth + 1) };
      default: return { t, c: children(ctx, depth + 1) };  // tick, prom, qm, adopt
    }
  }
  const main = [];
  const ctx = { inFile: false, inMacro: false, inTimer: false };
  while (budget > 0) main.push(node(ctx, 0));
  if (family === 'readfile') {
    const at = Math.floor(r() * (main.length + 1));
    main.splice(at, 0, { t: 'rf', c: children({ inFile: true, inMacro: false, inTimer: false }, 1) });
  }
  return { seed, family, delay, main };
}

function emit(prog) {
  const out = [];
  const ind = (d) => '  '.repeat(d);
  const body = (nodes, d) => nodes.forEach((n) => one(n, d));
  function one(n, d) {
    const i = ind(d);
    switch (n.t) {
      case 'log': out.push(`${i}console.log('L${n.id}')`); break;
      case 'tick': out.push(`${i}process.nextTick(() => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      case 'qm': out.push(`${i}queueMicrotask(() => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      case 'prom': out.push(`${i}Promise.resolve().then(() => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      case 'adopt': out.push(`${i}new Promise((resolve) => resolve(Promise.resolve())).then(() => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      case 'chain': out.push(`${i}Promise.resolve()` + n.ids.map((id) => `.then(() => console.log('L${id}'))`).join('')); break;
      case 'timeout': out.push(`${i}setTimeout(() => {`); body(n.c, d + 1); out.push(`${i}}, ${prog.delay})`); break;
      case 'interval':
        out.push(`${i}{`, `${i}  let n = 0`, `${i}  const h = setInterval(() => {`, `${i}    console.log('L${n.id}', n)`);
        body(n.c, d + 2);
        out.push(`${i}    if (++n === ${n.k}) clearInterval(h)`, `${i}  }, ${prog.delay})`, `${i}}`);
        break;
      case 'imm': out.push(`${i}setImmediate(() => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      case 'rf': out.push(`${i}require('fs').readFile(__filename, () => {`); body(n.c, d + 1); out.push(`${i}})`); break;
      default: throw new Error('fuzz: unknown node ' + n.t);
    }
  }
  body(prog.main, 0);
  return `// fuzz-order seed ${prog.seed} (${prog.family}, delay ${prog.delay})\n${out.join('\n')}\n`;
}

// Smaller variants of a program, for shrinking: each drops one node or
// replaces it by its children.
function* shrinks(prog) {
  const paths = [];
  const walk = (list, path) => list.forEach((n, i) => {
    paths.push([...path, i]);
    if (n.c) walk(n.c, [...path, i, 'c']);
  });
  walk(prog.main, []);
  const clone = () => JSON.parse(JSON.stringify(prog));
  const at = (p, path) => {
    let list = p.main;
    for (let k = 0; k < path.length - 1; k += 2) list = list[path[k]][path[k + 1]];
    return list;
  };
  for (const path of paths) {
    const p = clone();
    const list = at(p, path);
    const idx = path[path.length - 1];
    if (list.length > 1 || path.length === 1) {
      list.splice(idx, 1);
      yield p;
    }
    const q = clone();
    const l2 = at(q, path);
    const n = l2[idx];
    if (n.c && n.t !== 'rf') {
      l2.splice(idx, 1, ...n.c);
      yield q;
    }
    if (n.t === 'interval' && n.k > 1) {
      const s = clone();
      at(s, path)[idx].k = 1;
      yield s;
    }
  }
}

module.exports = { generate, emit, shrinks };
