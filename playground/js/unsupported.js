'use strict';
// What the playground does not cover, said once and clearly instead of a
// hang or a wrong order: async functions and await (V8 would queue their
// jobs itself, behind the C++ loop's back), modules with their own I/O or
// threads (http, worker_threads, child_process ...), fetch.

class PlaygroundUnsupported extends Error {
  constructor(what, why) {
    super(`${what}: not supported in the playground${why ? ` (${why})` : ''}`);
    this.name = 'PlaygroundUnsupported';
    this.what = what;
  }
}

// Modules a program may require: plain node (synchronous), or the shims.
const PLAIN_MODULES = new Set(['path', 'os', 'assert', 'url', 'querystring', 'string_decoder', 'buffer', 'punycode']);
const WHY_MODULE = {
  http: 'network I/O', https: 'network I/O', http2: 'network I/O', net: 'network I/O', tls: 'network I/O',
  dgram: 'network I/O', dns: 'network I/O', child_process: 'processes', cluster: 'processes',
  worker_threads: 'threads', 'timers/promises': 'native promises', 'fs/promises': 'native promises',
  async_hooks: 'V8 promise hooks', stream: 'streams', readline: 'streams', zlib: 'the thread pool beyond fs.readFile',
  crypto: 'the thread pool beyond fs.readFile', vm: 'nested contexts', inspector: 'the inspector',
};

const acorn = (() => {
  try {
    return require('internal/deps/acorn/acorn/dist/acorn');  // node --expose-internals
  } catch {
    return null;
  }
})();

// The first construct of `source` the playground cannot run, or null.
// (Syntax errors are left to node's own compiler, which words them.)
function findUnsupportedSyntax(source) {
  if (acorn === null) return null;
  let ast;
  try {
    ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true,
                                allowHashBang: true, locations: true });
  } catch {
    return null;
  }
  let found = null;
  const visit = (node) => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node.type === 'string') {
      const line = node.loc ? node.loc.start.line : 0;
      if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' ||
           node.type === 'ArrowFunctionExpression') && node.async) {
        found = { what: 'async functions', line, why: 'V8 queues their jobs on its own microtask queue' };
      } else if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) {
        found = { what: 'await', line, why: 'V8 queues its jobs on its own microtask queue' };
      } else if (node.type === 'ImportExpression') {
        found = { what: 'import()', line, why: 'ES modules' };
      }
    }
    for (const key of Object.keys(node)) {
      if (key !== 'loc' && key !== 'type') visit(node[key]);
    }
  };
  visit(ast);
  return found;
}

module.exports = { PlaygroundUnsupported, PLAIN_MODULES, WHY_MODULE, findUnsupportedSyntax };
