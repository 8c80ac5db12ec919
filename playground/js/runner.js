'use strict';
// One program on the C++ loop: the host side of playground/PROTOCOL.md.
// The driver says "run callback <id>"; this runs it synchronously in the
// program's vm context, sends the loop calls it made (as they happen,
// buffered until the next wait), then "done" — or "threw", and the loop's
// own uncaught-exception path takes over.
const vm = require('vm');
const { makeContext, TIMEOUT_MAX } = require('./context');
const { fsError, fatalReport, errorLine, isError } = require('./errors');
const { PlaygroundUnsupported, findUnsupportedSyntax } = require('./unsupported');

const MACROTASKS = new Set(['timer', 'immediate', 'fs', 'beforeExit']);
const PHASE = { main: 'main script', timer: 'timers', immediate: 'check', fs: 'poll', tick: 'nextTick queue',
                micro: 'microtask queue', beforeExit: 'beforeExit', exit: 'exit', uncaught: 'uncaughtException' };
const MODULE_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

class EndOfRun extends Error {
  constructor(m) { super('end of run'); this.m = m; }
}
const PROCESS_EXIT = Symbol('process.exit()');

const oneLine = (s) => String(s).replace(/\n/g, ' ');

function fnLabel(fn) {
  if (typeof fn !== 'function') return String(fn);
  let src;
  try { src = Function.prototype.toString.call(fn); } catch { src = ''; }
  const text = src.replace(/\s+/g, ' ').trim();
  if (fn.name && !text.startsWith('(') && !text.startsWith('function (') && !text.startsWith('async')) return fn.name;
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

class Runner {
  // opts: file, source, legacy, startupMs, trace, maxCallbacks, timeoutMs, onWrite(stream, text)
  constructor(wire, opts) {
    this.wire = wire;
    this.o = opts;
    this.file = opts.file;
    this.entries = new Map();
    this.nextId = 1;
    this.errors = new Map();
    this.nextErr = 1;
    this.clock = 0;  // µs, the driver's clock at the current callback
    this.adv = 0;    // µs Date.now() let pass since it was reported
    this.loopNow = 0;
    this.out = '';
    this.err = '';
    this.trace = opts.trace ? [] : null;
    this.shadow = { timers: new Map(), immediates: new Map(), ticks: new Map(), micro: new Map() };
    this.callbacks = 0;
    this.stopped = null;
    this.unsupportedErr = null;
    this.exiting = false;
    this.halts = 0;
    this.rejections = new Map();  // unhandled rejected promise → reason
    this.lastMacro = 'main';
  }

  // ---- what the shims call (rt) ---------------------------------------------
  send(line) { this.wire.send(line); }
  register(kind, fn, args, label, extra) {
    const id = this.nextId++;
    const e = { kind, fn, args, label, extra, thisArg: undefined, line: 0 };
    if (this.trace) {
      e.line = this.callerLine();
      e.label = label || (kind === 'fs' ? `fs.readFile callback: ${fnLabel(fn)}` : fnLabel(fn));
      const q = kind === 'timer' ? 'timers' : kind === 'immediate' ? 'immediates' : kind === 'tick' ? 'ticks' : kind === 'micro' ? 'micro' : null;
      if (q) this.shadow[q].set(id, e);
    }
    this.entries.set(id, e);
    return id;
  }
  callerLine() {
    const stack = new Error().stack.split('\n');
    for (const l of stack) {
      const i = l.indexOf(this.file + ':');
      if (i >= 0) return Number(l.slice(i + this.file.length + 1).split(':')[0]);
    }
    return 0;
  }
  setTimer(callback, after, args, repeat, TimeoutClass) {
    after *= 1;
    const delay = after >= 1 && after <= TIMEOUT_MAX ? Math.trunc(after) : 1;
    const id = this.register('timer', callback, args, undefined, { repeat, after, delay, due: this.loopNow + delay });
    const t = new TimeoutClass(this, id, repeat);
    this.entries.get(id).thisArg = t;
    this.send(`T ${id} ${after} ${repeat ? 1 : 0}`);
    return t;
  }
  refreshTimer(t) {
    const e = this.entries.get(t._id);
    if (!e) return;
    e.extra.due = this.loopNow + e.extra.delay;
    this.send(`X ${t._id}`);
    this.send(`T ${t._id} ${e.extra.after} ${e.extra.repeat ? 1 : 0}`);
    if (!t._refed) this.send(`r ${t._id} 0`);
  }
  timerDelay(id) { const e = this.entries.get(id); return e ? e.extra.delay : -1; }
  clearTimer(id) {
    const e = this.entries.get(id);
    if (!e || e.kind !== 'timer') return;
    this.entries.delete(id);
    this.shadow.timers.delete(id);
    this.send(`X ${id}`);
  }
  clearImmediate(id) {
    const e = this.entries.get(id);
    if (!e || e.kind !== 'immediate') return;
    this.entries.delete(id);
    this.shadow.immediates.delete(id);
    this.send(`Y ${id}`);
  }
  dateNow() { this.adv += 1; return Math.floor((this.clock + this.adv) / 1000); }
  clockUs() { this.adv += 1; return this.clock + this.adv; }
  write(stream, text) {
    if (this.exiting === 'done') return;
    if (stream === 'out') this.out += text;
    else this.err += text;
    if (this.o.onWrite) this.o.onWrite(stream, text);
  }
  unsupported(err) {
    if (!this.unsupportedErr) this.unsupportedErr = err;
    throw err;
  }
  uncaughtListeners(n) {
    const want = n > 0 ? 1 : 0;
    if (want !== this.wantUncaught) { this.wantUncaught = want; this.send(`U ${want}`); }
  }
  processExit(code) {
    code = Number(code) | 0;
    if (!this.exiting) {
      this.send(`V ${this.adv}`);
      this.fold();
      this.send(`Q ${code}`);
      this.serve(['K']);
    }
    throw PROCESS_EXIT;
  }
  rejectionUnhandled(p, reason) { this.rejections.set(p, reason); }
  rejectionHandled(p) { this.rejections.delete(p); }

  // ---- the conversation -------------------------------------------------------
  serve(until) {
    for (;;) {
      const m = this.wire.read();
      if (m.tag === 'C') this.onCall(m);
      else if (until.includes(m.tag)) return m;
      else if (m.tag === 'S' || m.tag === 'A') throw new EndOfRun(m);
      else throw new Error(`playground: unexpected message from the driver: ${m.tag} ${m.rest}`);
    }
  }
  fold() { this.clock += this.adv; this.adv = 0; }
  storeError(e, fromPromise = false) {
    const id = this.nextErr++;
    this.errors.set(id, { e, fromPromise });
    return id;
  }

  onCall(m) {
    const f = m.f;
    const id = Number(f[0]), kind = f[1];
    this.loopNow = Number(f[2]);
    const iter = Number(f[3]);
    this.clock = Number(f[8]);
    this.adv = 0;
    const args = f.slice(9);
    if (this.stopped) {
      // The loop went on after a halt (it swallowed it): stop asking.
      if (++this.halts > 50) this.abandon();
      this.send('H');
      return;
    }
    this.callbacks++;
    if (this.callbacks > this.o.maxCallbacks) return this.stop('max-callbacks');
    if (this.o.deadline && Date.now() > this.o.deadline) return this.stop('timeout');
    if (MACROTASKS.has(kind)) {
      this.lastMacro = kind;
      if (this.rejections.size > 0 && !this.exiting) this.raiseRejections();
    }
    let e = kind === 'main' ? this.mainEntry : this.entries.get(id);
    let fn, thisArg, callArgs = [];
    switch (kind) {
      case 'main': fn = this.mainFn; break;
      case 'beforeExit':
        fn = () => this.processShim.emit('beforeExit', Number(args[0]));
        break;
      case 'exit':
        fn = () => this.onExit(Number(args[0]), Number(args[1]), args.slice(2).join(' '));
        break;
      case 'uncaught': {
        const stored = this.errors.get(Number(args[0]));
        const err = stored ? stored.e : new Error(args.slice(1).join(' '));
        const origin = stored && stored.fromPromise ? 'unhandledRejection' : 'uncaughtException';
        fn = () => this.processShim.emit('uncaughtException', err, origin);
        break;
      }
      default: {
        const data = kind === 'fs' ? this.wire.readBytes(Number(args[1])) : null;
        if (!e) { this.send(`D ${this.adv}`); return; }  // cleared meanwhile
        fn = e.fn; thisArg = e.thisArg; callArgs = e.args;
        if (kind === 'fs') {
          const errno = Number(args[0]);
          callArgs = errno ? [fsError(errno, e.extra.path, this.contextError)]
                           : [null, e.extra.encoding ? data.toString(e.extra.encoding) : data];
        }
        if (kind === 'timer' && e.extra.repeat) {
          e.extra.due = this.loopNow + e.extra.delay;
        } else {
          this.entries.delete(id);
        }
        if (this.trace) {
          const q = kind === 'timer' ? 'timers' : kind === 'immediate' ? 'immediates' : kind === 'tick' ? 'ticks' : 'micro';
          if (!(kind === 'timer' && e.extra.repeat)) this.shadow[q].delete(id);
        }
      }
    }
    if (this.exiting && kind !== 'exit') { this.send(`D ${this.adv}`); this.fold(); return; }
    if (this.trace && this.trace.length < 20000) this.traceStep(id, kind, iter, f, e);
    const outBefore = this.out.length;
    let threw = false, err;
    try {
      fn.apply(thisArg, callArgs);
    } catch (x) {
      threw = true;
      err = x;
    }
    if (kind === 'main' && this.o.startupMs) this.send(`G ${this.o.startupMs}`);
    if (this.trace && this.traceCurrent) this.traceCurrent.outAfter = this.out.length, this.traceCurrent.outBefore = outBefore;
    if (threw && err instanceof EndOfRun) throw err;
    if (this.unsupportedErr) return this.stop('unsupported');
    if (!threw || err === PROCESS_EXIT || kind === 'exit') {
      this.send(`D ${this.adv}`);
    } else {
      this.send(`E ${this.adv} ${this.storeError(err)} ${oneLine(errorLine(err))}`);
    }
    this.fold();
  }

  stop(why) {
    this.stopped = why;
    this.send('H');
  }
  abandon() {
    // A loop that keeps calling after a halt: report and leave.
    this.stopped = this.stopped || 'max-callbacks';
    if (this.o.onAbandon) this.o.onAbandon(this.result({ tag: 'S', f: ['-1'] }));
    process.exit(0);
  }

  raiseRejections() {
    const pending = [...this.rejections];
    this.rejections.clear();
    for (const [p, reason] of pending) {
      if (this.exiting) return;
      if (this.processShim.listenerCount('unhandledRejection') > 0) {
        try { this.processShim.emit('unhandledRejection', reason, p); } catch (x) { this.reportNow(x); }
        continue;
      }
      this.send(`V ${this.adv}`);
      this.fold();
      this.send(`W ${this.storeError(reason, true)} ${oneLine(errorLine(reason))}`);
      this.serve(['K']);
    }
  }

  onExit(code, errid, text) {
    if (errid) {
      const stored = this.errors.get(errid);
      if (stored) this.write('err', fatalReport(stored.e, this.file, this.o.source, { fromPromise: stored.fromPromise }) + '\n');
    } else if (text && text !== '-' && text !== 'js') {
      this.write('err', `Uncaught exception in the loop (C++): ${text}\n`);
    }
    this.exiting = true;
    try {
      this.processShim.emit('exit', code);
    } catch (x) {
      this.reportNow(x);
    }
  }
  reportNow(x) { this.write('err', fatalReport(x, this.file, this.o.source) + '\n'); }

  traceStep(id, kind, iter, f, entry) {
    const e = kind === 'main' ? { label: 'main script', line: 0 } : entry || { label: kind, line: 0 };
    const snap = (m, withDue) => [...m.entries()].map(([k, v]) => (withDue ? { id: k, label: v.label, line: v.line, due: v.extra.due, delay: v.extra.delay } : { id: k, label: v.label, line: v.line }));
    const isDrain = kind === 'tick' || kind === 'micro';
    this.traceCurrent = {
      step: this.trace.length + 1, iteration: iter, kind, phase: PHASE[kind] || kind,
      after: isDrain ? PHASE[this.lastMacro] : undefined, id, label: e.label || kind, line: e.line || 0,
      now: this.loopNow, clock_ms: Math.floor(this.clock / 1000),
      counts: { timers: Number(f[4]), immediates: Number(f[5]), ticks: Number(f[6]), microtasks: Number(f[7]) },
      queues: { timers: snap(this.shadow.timers, true), immediates: snap(this.shadow.immediates), ticks: snap(this.shadow.ticks), microtasks: snap(this.shadow.micro) },
      outBefore: this.out.length, outAfter: this.out.length,
    };
    this.trace.push(this.traceCurrent);
  }

  // ---- one program ------------------------------------------------------------------
  run() {
    const { file, source } = this.o;
    const ctx = makeContext(this, file);
    this.processShim = ctx.context.process;
    this.contextError = vm.runInContext('Error', ctx.context);
    let mainFn;
    try {
      const compiled = vm.compileFunction(source.replace(/^#!.*/, ''), MODULE_PARAMS, { filename: file, parsingContext: ctx.context });
      const module = { exports: {}, filename: file, id: '.', loaded: false, children: [], paths: [] };
      const path = require('path');
      mainFn = () => compiled.call(module.exports, module.exports, ctx.require, module, file, path.dirname(file));
    } catch (e) {
      const head = String(e.stack).split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').replace(/\n+$/, '');
      this.err += `${head}\n${String(e.stack).split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 0).join('\n')}\nNode.js ${process.version}\n`;
      return { stdout: [], stderr: this.err, exit: 1, syntaxError: errorLine(e) };
    }
    const bad = findUnsupportedSyntax(source);
    if (bad) {
      const u = new PlaygroundUnsupported(bad.what, bad.why);
      return { stdout: [], stderr: `${file}:${bad.line}: ${u.message}\n`, exit: null, unsupported: `${u.message}, line ${bad.line}` };
    }
    this.mainFn = mainFn;
    this.wire.send(`P ${this.o.legacy ? 1 : 0} ${this.o.startupMs | 0} ${this.o.startMs} ${this.trace ? 1 : 0}`);
    let end;
    try {
      end = this.serve(['S', 'A']);
    } catch (x) {
      if (!(x instanceof EndOfRun)) throw x;
      end = x.m;
    }
    this.wire.send('a');
    this.wire.flush();
    return this.result(end);
  }

  result(end) {
    const lines = this.out.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const r = { stdout: lines, stderr: this.err, exit: null, callbacks: this.callbacks };
    if (end.tag === 'A') r.notDone = end.rest;
    else if (!this.stopped) r.exit = Number(end.f[0]);
    if (this.stopped === 'unsupported') r.unsupported = this.unsupportedErr.message;
    else if (this.stopped) r.stopped = this.stopped;
    if (this.trace) r.trace = this.trace;
    return r;
  }
}

module.exports = { Runner };
