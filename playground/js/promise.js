'use strict';
// A Promise that follows the ECMAScript spec (27.2), for the playground's
// vm context: every job it makes — reaction jobs and the jobs that adopt a
// thenable (NewPromiseResolveThenableJob) — goes to the C++ loop's
// microtask queue through host.queueJob, so the learner's loop decides when
// they run. Following the spec step by step gives the same number of ticks
// as V8 (e.g. resolving with a promise takes two extra ticks):
// playground/tests/promise_ticks.js checks it against node.
//
//   const Promise = makePromise({ queueJob(fn, label), onRejectUnhandled(p), onRejectHandled(p) })

const util = require('util');

function makePromise(host) {
  const PENDING = 0, FULFILLED = 1, REJECTED = 2;
  const slots = new WeakMap();  // promise → its internal slots

  const isObject = (x) => (typeof x === 'object' && x !== null) || typeof x === 'function';
  const isPromise = (x) => isObject(x) && slots.has(x);

  function createResolvingFunctions(promise) {
    let alreadyResolved = false;
    const resolve = (resolution) => {
      if (alreadyResolved) return;
      alreadyResolved = true;
      if (resolution === promise) return rejectPromise(promise, new TypeError('Chaining cycle detected for promise #<Promise>'));
      if (!isObject(resolution)) return fulfillPromise(promise, resolution);
      let then;
      try {
        then = resolution.then;
      } catch (e) {
        return rejectPromise(promise, e);
      }
      if (typeof then !== 'function') return fulfillPromise(promise, resolution);
      // NewPromiseResolveThenableJob
      host.queueJob(() => {
        const fns = createResolvingFunctions(promise);
        try {
          then.call(resolution, fns.resolve, fns.reject);
        } catch (e) {
          fns.reject(e);
        }
      }, 'resolve thenable');
    };
    const reject = (reason) => {
      if (alreadyResolved) return;
      alreadyResolved = true;
      rejectPromise(promise, reason);
    };
    return { resolve, reject };
  }

  function settle(promise, state, value) {
    const s = slots.get(promise);
    const reactions = state === FULFILLED ? s.fulfillReactions : s.rejectReactions;
    s.state = state;
    s.value = value;
    s.fulfillReactions = s.rejectReactions = undefined;
    for (const r of reactions) queueReaction(r, value);
  }
  function fulfillPromise(promise, value) { settle(promise, FULFILLED, value); }
  function rejectPromise(promise, reason) {
    const s = slots.get(promise);
    if (!s.handled) host.onRejectUnhandled(promise, reason);
    settle(promise, REJECTED, reason);
  }

  // NewPromiseReactionJob
  function queueReaction(reaction, argument) {
    host.queueJob(() => {
      const { capability, type, handler } = reaction;
      let result, threw = false;
      if (handler === undefined) {
        result = argument;
        threw = type === REJECTED;
      } else {
        try {
          result = handler(argument);
        } catch (e) {
          result = e;
          threw = true;
        }
      }
      if (capability === undefined) return;
      if (threw) capability.reject(result);
      else capability.resolve(result);
    }, handler_label(reaction));
  }
  function handler_label(r) {
    if (r.handler === undefined) return r.type === FULFILLED ? 'then (pass value on)' : 'then (pass rejection on)';
    return (r.type === FULFILLED ? 'then ' : 'catch ') + (r.handler.name || 'callback');
  }

  function newPromiseCapability(C) {
    if (typeof C !== 'function') throw new TypeError('Promise resolve or reject function is not callable');
    let resolve, reject;
    const promise = new C((res, rej) => {
      if (resolve !== undefined || reject !== undefined) throw new TypeError('Promise executor has already been invoked with non-undefined arguments');
      resolve = res;
      reject = rej;
    });
    if (typeof resolve !== 'function' || typeof reject !== 'function') throw new TypeError('Promise resolve or reject function is not callable');
    return { promise, resolve, reject };
  }

  function performThen(promise, onFulfilled, onRejected, capability) {
    const s = slots.get(promise);
    const fulfill = { capability, type: FULFILLED, handler: typeof onFulfilled === 'function' ? onFulfilled : undefined };
    const reject = { capability, type: REJECTED, handler: typeof onRejected === 'function' ? onRejected : undefined };
    if (s.state === PENDING) {
      s.fulfillReactions.push(fulfill);
      s.rejectReactions.push(reject);
    } else if (s.state === FULFILLED) {
      queueReaction(fulfill, s.value);
    } else {
      if (!s.handled) host.onRejectHandled(promise);
      queueReaction(reject, s.value);
    }
    s.handled = true;
    return capability === undefined ? undefined : capability.promise;
  }

  function speciesConstructor(o, fallback) {
    const C = o.constructor;
    if (C === undefined) return fallback;
    if (!isObject(C)) throw new TypeError('The .constructor property is not an object');
    const S = C[Symbol.species];
    if (S === undefined || S === null) return fallback;
    if (typeof S === 'function') return S;
    throw new TypeError('object.constructor[Symbol.species] is not a constructor');
  }

  function promiseResolve(C, x) {
    if (isPromise(x) && x.constructor === C) return x;
    const cap = newPromiseCapability(C);
    cap.resolve(x);
    return cap.promise;
  }

  class Promise {
    constructor(executor) {
      if (new.target === undefined) throw new TypeError("Promise constructor cannot be invoked without 'new'");
      if (typeof executor !== 'function') throw new TypeError(`Promise resolver ${util.inspect(executor)} is not a function`);
      slots.set(this, { state: PENDING, value: undefined, fulfillReactions: [], rejectReactions: [], handled: false });
      const { resolve, reject } = createResolvingFunctions(this);
      try {
        executor(resolve, reject);
      } catch (e) {
        reject(e);
      }
    }
    then(onFulfilled, onRejected) {
      if (!isPromise(this)) throw new TypeError('Method Promise.prototype.then called on incompatible receiver ' + util.inspect(this));
      const C = speciesConstructor(this, Promise);
      return performThen(this, onFulfilled, onRejected, newPromiseCapability(C));
    }
    catch(onRejected) {
      return this.then(undefined, onRejected);
    }
    finally(onFinally) {
      if (!isObject(this)) throw new TypeError('Method Promise.prototype.finally called on incompatible receiver ' + util.inspect(this));
      const C = speciesConstructor(this, Promise);
      if (typeof onFinally !== 'function') return this.then(onFinally, onFinally);
      const thenFinally = (value) => promiseResolve(C, onFinally()).then(() => value);
      const catchFinally = (reason) => promiseResolve(C, onFinally()).then(() => { throw reason; });
      return this.then(thenFinally, catchFinally);
    }
    static resolve(x) {
      if (!isObject(this)) throw new TypeError('PromiseResolve called on non-object');
      return promiseResolve(this, x);
    }
    static reject(r) {
      const cap = newPromiseCapability(this);
      cap.reject(r);
      return cap.promise;
    }
    static all(iterable) { return combine(this, iterable, 'all'); }
    static allSettled(iterable) { return combine(this, iterable, 'allSettled'); }
    static any(iterable) { return combine(this, iterable, 'any'); }
    static race(iterable) {
      const C = this;
      const cap = newPromiseCapability(C);
      try {
        const resolveFn = C.resolve;
        if (typeof resolveFn !== 'function') throw new TypeError('Promise resolve is not a function');
        for (const value of iterable) resolveFn.call(C, value).then(cap.resolve, cap.reject);
      } catch (e) {
        cap.reject(e);
      }
      return cap.promise;
    }
    static get [Symbol.species]() { return this; }
    get [Symbol.toStringTag]() { return 'Promise'; }
    [util.inspect.custom](depth, options, inspect) {
      const s = slots.get(this);
      if (s === undefined) return 'Promise {}';
      if (s.state === PENDING) return 'Promise { <pending> }';
      const v = inspect(s.value, options);
      return s.state === FULFILLED ? `Promise { ${v} }` : `Promise { <rejected> ${v} }`;
    }
  }
  Object.defineProperty(Promise.prototype, Symbol.toStringTag, { value: 'Promise', configurable: true });

  // Promise.all / allSettled / any (27.2.4.1-3): one element function per item.
  function combine(C, iterable, kind) {
    const cap = newPromiseCapability(C);
    try {
      const resolveFn = C.resolve;
      if (typeof resolveFn !== 'function') throw new TypeError('Promise resolve is not a function');
      const values = [];
      let remaining = 1, index = 0;
      const done = () => {
        if (kind === 'any') {
          const err = new AggregateError(values, 'All promises were rejected');
          cap.reject(err);
        } else {
          cap.resolve(values);
        }
      };
      for (const value of iterable) {
        const i = index++;
        values.push(undefined);
        remaining++;
        let called = false;
        const once = (f) => (x) => {
          if (called) return;
          called = true;
          f(x);
        };
        const next = resolveFn.call(C, value);
        if (kind === 'all') {
          next.then(once((x) => { values[i] = x; if (--remaining === 0) done(); }), cap.reject);
        } else if (kind === 'allSettled') {
          next.then(once((x) => { values[i] = { status: 'fulfilled', value: x }; if (--remaining === 0) done(); }),
                    once((r) => { values[i] = { status: 'rejected', reason: r }; if (--remaining === 0) done(); }));
        } else {
          next.then(cap.resolve, once((r) => { values[i] = r; if (--remaining === 0) done(); }));
        }
      }
      if (--remaining === 0) done();
    } catch (e) {
      cap.reject(e);
    }
    return cap.promise;
  }

  return Promise;
}

module.exports = { makePromise };
