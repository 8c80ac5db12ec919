'use strict';
// Node's words for what goes wrong: the fatal-exception report (source line,
// caret, stack, "Node.js vXX"), fs system errors (ENOENT ...).
const util = require('util');

const systemErrors = util.getSystemErrorMap();

// fs.readFile's error, as node builds it (uvException): errno is positive here.
function fsError(errno, shownPath, ErrorCtor = Error) {
  const [code, desc] = systemErrors.get(-errno) || ['UNKNOWN', 'unknown error'];
  const syscall = code === 'EISDIR' ? 'read' : 'open';
  const withPath = syscall === 'open';
  const err = new ErrorCtor(`${code}: ${desc}, ${syscall}${withPath ? ` '${shownPath}'` : ''}`);
  err.errno = -errno;
  err.code = code;
  err.syscall = syscall;
  if (withPath) err.path = shownPath;
  Error.captureStackTrace(err, fsError);
  err.stack = err.stack.split('\n')[0];  // node's fs errors carry no JS frames
  return err;
}

const isError = (e) => e instanceof Error || util.types.isNativeError(e);

// Keeps the frames of the program's own file (the bridge's are noise).
function ownFrames(stack, file) {
  const lines = String(stack).split('\n');
  const head = [], frames = [];
  for (const l of lines) {
    if (/^\s+at /.test(l)) {
      if (l.includes(file)) frames.push(l);
    } else if (frames.length === 0) {
      head.push(l);
    }
  }
  return head.concat(frames).join('\n');
}

function arrow(stack, file, source) {
  const m = String(stack).match(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`));
  if (!m) return '';
  const line = Number(m[1]), col = Number(m[2]);
  const text = source.split('\n')[line - 1];
  if (text === undefined) return '';
  return `${file}:${line}\n${text}\n${' '.repeat(Math.max(0, col - 1))}^\n\n`;
}

// What node prints on stderr when `err` ends the process.
function fatalReport(err, file, source, { fromPromise = false } = {}) {
  const tail = `\n\nNode.js ${process.version}`;
  if (isError(err)) {
    let body;
    const original = err.stack;
    try {
      err.stack = ownFrames(original, file);
      body = util.inspect(err, { colors: false });
    } catch {
      body = String(original);
    } finally {
      try { err.stack = original; } catch { /* frozen */ }
    }
    return arrow(original, file, source) + body + tail;
  }
  if (fromPromise) {
    return 'node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\n' +
      'UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch ' +
      'block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason ' +
      `"${util.inspect(err)}".\n    at (the playground's processPromiseRejections) {\n  code: 'ERR_UNHANDLED_REJECTION'\n}` + tail;
  }
  return `\n${String(err)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)` + tail;
}

// The first line a test can compare ("Error: boom", "SyntaxError: ...").
function errorLine(err) {
  if (isError(err)) return String(err.stack || err).split('\n').find((l) => /^[A-Za-z]*Error\b|^\w+:/.test(l)) || String(err);
  return String(err);
}

module.exports = { fsError, fatalReport, errorLine, isError };
