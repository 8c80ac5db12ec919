'use strict';
// The vm context a program runs in: plain node (its own realm's builtins,
// require('path'), Buffer, util.format ...) except for what decides an
// order or reads time — those are shims that go through `rt` (runner.js) to
// the C++ loop: setTimeout/setInterval/setImmediate and their clear*,
// process.nextTick, queueMicrotask, Promise, fs.readFile, Date/performance,
// process.exit/exitCode/on('exit' | 'beforeExit' | 'uncaughtException').
const vm = require('vm');
const util = require('util');
const path = require('path');
const realFs = require('fs');
const EventEmitter = require('events');
const { makePromise } = require('./promise');
const { PlaygroundUnsupported, PLAIN_MODULES, WHY_MODULE } = require('./unsupported');

const TIMEOUT_MAX = 2 ** 31 - 1;

function invalidCallback(value) {
  const e = new TypeError(`The "callback" argument must be of type function. Received ${util.inspect(value)}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

// Node's Timeout / Immediate objects: handles to pass back to clear*.
class Timeout {
  constructor(rt, id, repeat) {
    this._rt = rt;
    this._id = id;
    this._repeat = repeat;
    this._refed = true;
  }
  ref() { if (!this._refed) { this._refed = true; this._rt.send(`r ${this._id} 1`); } return this; }
  unref() { if (this._refed) { this._refed = false; this._rt.send(`r ${this._id} 0`); } return this; }
  hasRef() { return this._refed; }
  refresh() { this._rt.refreshTimer(this); return this; }
  close() { this._rt.clearTimer(this._id); return this; }
  [Symbol.toPrimitive]() { return this._id; }
  [util.inspect.custom]() { return `Timeout { _idleTimeout: ${this._rt.timerDelay(this._id)}, _repeat: ${this._repeat} }`; }
}
class Immediate {
  constructor(rt, id) { this._rt = rt; this._id = id; this._refed = true; }
  ref() { if (!this._refed) { this._refed = true; this._rt.send(`i ${this._id} 1`); } return this; }
  unref() { if (this._refed) { this._refed = false; this._rt.send(`i ${this._id} 0`); } return this; }
  hasRef() { return this._refed; }
  [util.inspect.custom]() { return 'Immediate {}'; }
}

// A Writable-like sink for console / process.stdout.
function sink(write) {
  const s = new EventEmitter();
  s.write = (chunk, encoding, cb) => {
    write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    if (typeof encoding === 'function') encoding();
    else if (typeof cb === 'function') cb();
    return true;
  };
  s.isTTY = false;
  s.columns = 80;
  return s;
}

function makeContext(rt, file) {
  const sandbox = {};
  const unsupported = (what, why) => rt.unsupported(new PlaygroundUnsupported(what, why));

  // ---- timers ------------------------------------------------------------
  const setTimeoutShim = function setTimeout(callback, after, ...args) {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    return rt.setTimer(callback, after, args, false, Timeout);
  };
  const setIntervalShim = function setInterval(callback, repeat, ...args) {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    return rt.setTimer(callback, repeat, args, true, Timeout);
  };
  const clearTimeoutShim = function clearTimeout(timer) {
    if (timer === null || timer === undefined) return;
    const id = typeof timer === 'object' ? timer._id : Number(timer);
    if (Number.isInteger(id)) rt.clearTimer(id);
  };
  const setImmediateShim = function setImmediate(callback, ...args) {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    const id = rt.register('immediate', callback, args);
    rt.send(`I ${id}`);
    return new Immediate(rt, id);
  };
  const clearImmediateShim = function clearImmediate(immediate) {
    if (!immediate || typeof immediate._id !== 'number') return;
    rt.clearImmediate(immediate._id);
  };
  const queueMicrotaskShim = function queueMicrotask(callback) {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    rt.send(`M ${rt.register('micro', callback, [])}`);
  };
  const nextTick = function nextTick(callback, ...args) {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    rt.send(`N ${rt.register('tick', callback, args)}`);
  };
  const timers = {
    setTimeout: setTimeoutShim, setInterval: setIntervalShim, setImmediate: setImmediateShim,
    clearTimeout: clearTimeoutShim, clearInterval: clearTimeoutShim, clearImmediate: clearImmediateShim,
  };

  // ---- Promise: spec jobs on the C++ microtask queue --------------------
  const PromiseShim = makePromise({
    queueJob: (fn, label) => rt.send(`M ${rt.register('micro', fn, [], label)}`),
    onRejectUnhandled: (p, reason) => rt.rejectionUnhandled(p, reason),
    onRejectHandled: (p) => rt.rejectionHandled(p),
  });

  // ---- time: the loop's clock ---------------------------------------------
  const RealDate = Date;
  function DateShim(...args) {
    if (new.target === undefined) return new RealDate(rt.dateNow()).toString();
    return args.length === 0 ? new RealDate(rt.dateNow()) : new RealDate(...args);
  }
  DateShim.prototype = RealDate.prototype;
  DateShim.now = () => rt.dateNow();
  DateShim.parse = RealDate.parse;
  DateShim.UTC = RealDate.UTC;
  const performance = {
    now: () => rt.clockUs() / 1000 - rt.startMs,
    timeOrigin: rt.startMs,
    mark() {}, measure() {},
  };

  // ---- console + process ---------------------------------------------------
  const stdout = sink((s) => rt.write('out', s));
  const stderr = sink((s) => rt.write('err', s));
  const consoleShim = new console.Console({ stdout, stderr, colorMode: false });

  const processShim = new EventEmitter();
  const real = process;
  let exitCode;
  const trackUncaught = () => rt.uncaughtListeners(processShim.listenerCount('uncaughtException'));
  for (const m of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners']) {
    const base = EventEmitter.prototype[m];
    processShim[m] = function (...a) {
      const r = base.apply(this, a);
      trackUncaught();
      return r;
    };
  }
  Object.assign(processShim, {
    nextTick,
    argv: [real.execPath, file],
    argv0: real.argv0,
    execArgv: [],
    execPath: real.execPath,
    env: real.env,
    pid: real.pid,
    ppid: real.ppid,
    platform: real.platform,
    arch: real.arch,
    version: real.version,
    versions: real.versions,
    release: real.release,
    config: real.config,
    features: real.features,
    title: real.title,
    stdout,
    stderr,
    cwd: () => real.cwd(),
    chdir: (d) => real.chdir(d),
    umask: (...a) => real.umask(...a),
    memoryUsage: () => real.memoryUsage(),
    cpuUsage: () => real.cpuUsage(),
    resourceUsage: () => real.resourceUsage(),
    uptime: () => (rt.clockUs() / 1000 - rt.startMs) / 1000,
    emitWarning: (w, type) => {
      const name = typeof w === 'object' && w ? w.name : (typeof type === 'string' ? type : 'Warning');
      const msg = typeof w === 'object' && w ? w.message : String(w);
      rt.write('err', `(node:${real.pid}) ${name}: ${msg}\n`);
    },
    exit: (code) => rt.processExit(code === undefined ? exitCode : code),
    abort: () => unsupported('process.abort()'),
    kill: () => unsupported('process.kill()', 'signals'),
    send: () => unsupported('process.send()', 'IPC'),
    disconnect: () => unsupported('process.disconnect()', 'IPC'),
    binding: () => unsupported('process.binding()'),
    dlopen: () => unsupported('process.dlopen()'),
  });
  const hrtime = (prev) => {
    const ns = BigInt(rt.clockUs()) * 1000n;
    const s = Number(ns / 1000000000n), n = Number(ns % 1000000000n);
    if (!prev) return [s, n];
    let ds = s - prev[0], dn = n - prev[1];
    if (dn < 0) { ds -= 1; dn += 1e9; }
    return [ds, dn];
  };
  hrtime.bigint = () => BigInt(rt.clockUs()) * 1000n;
  processShim.hrtime = hrtime;
  Object.defineProperty(processShim, 'exitCode', {
    get: () => exitCode,
    set: (v) => { exitCode = v; rt.send(`Z ${Number(v) | 0}`); },
    enumerable: true,
  });
  Object.defineProperty(processShim, 'stdin', { get: () => unsupported('process.stdin', 'streams') });

  // ---- fs: readFile on the loop's thread pool; the *Sync functions as they are
  const fsShim = {};
  for (const key of Object.keys(realFs)) {
    const v = realFs[key];
    if (typeof v !== 'function' || key.endsWith('Sync') || /^[A-Z]/.test(key)) fsShim[key] = v;
    else fsShim[key] = () => unsupported(`fs.${key}`, 'only fs.readFile and the *Sync functions are');
  }
  fsShim.readFile = function readFile(p, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    if (typeof callback !== 'function') throw invalidCallback(callback);
    const encoding = typeof options === 'string' ? options : options && options.encoding ? options.encoding : null;
    if (typeof p === 'number') unsupported('fs.readFile on a file descriptor');
    const shown = p instanceof URL ? p : Buffer.isBuffer(p) ? p.toString() : p;
    const abs = path.resolve(p instanceof URL ? require('url').fileURLToPath(p) : String(shown));
    const id = rt.register('fs', callback, [], undefined, { path: String(shown), encoding });
    rt.send(`F ${id} ${abs}`);
  };
  Object.defineProperty(fsShim, 'promises', { get: () => unsupported('fs.promises', 'native promises') });

  // ---- require --------------------------------------------------------------
  const utilShim = Object.assign({}, util, {
    promisify: () => unsupported('util.promisify', 'native promises'),
    callbackify: () => unsupported('util.callbackify', 'native promises'),
  });
  utilShim.promisify.custom = util.promisify.custom;
  const eventsModule = new Proxy(EventEmitter, {
    get(target, key) {
      if (key === 'once' || key === 'on') return () => unsupported(`events.${key}()`, 'native promises');
      return Reflect.get(target, key);
    },
  });
  const shims = { fs: fsShim, timers: timers, util: utilShim, events: eventsModule, process: processShim };
  function requireShim(id) {
    if (typeof id !== 'string') throw new TypeError('The "id" argument must be of type string');
    const name = id.startsWith('node:') ? id.slice(5) : id;
    if (Object.prototype.hasOwnProperty.call(shims, name)) return shims[name];
    if (PLAIN_MODULES.has(name)) return require(name);
    if (name.startsWith('.') || name.startsWith('/')) unsupported(`require('${id}')`, 'the playground runs one file');
    const known = require('module').builtinModules.includes(name);
    if (!known) {
      const e = new Error(`Cannot find module '${id}'\nRequire stack:\n- ${file}`);
      e.code = 'MODULE_NOT_FOUND';
      e.requireStack = [file];
      throw e;
    }
    return unsupported(`require('${id}')`, WHY_MODULE[name]);
  }
  requireShim.resolve = (id) => id;
  requireShim.cache = {};

  // ---- the global object ------------------------------------------------------
  Object.assign(sandbox, timers, {
    queueMicrotask: queueMicrotaskShim,
    console: consoleShim,
    process: processShim,
    Buffer, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, AbortSignal,
    Event, EventTarget, structuredClone, atob, btoa, performance,
  });
  Object.defineProperty(sandbox, 'fetch', { get: () => unsupported('fetch', 'network I/O'), configurable: true });
  const context = vm.createContext(sandbox, { name: file });
  // The context's own realm builtins stay; these two are ours.
  vm.runInContext('globalThis.global = globalThis;', context);
  context.Promise = PromiseShim;
  context.Date = DateShim;
  return { context, require: requireShim, Promise: PromiseShim };
}

module.exports = { makeContext, TIMEOUT_MAX };
