"use strict";
// Takes away from the grading kernel's process what would let a cell reach past the kernel's restricted
// `require` (kernel/grading.ts) or read and write the process's own memory:
// - process.binding / _linkedBinding (Node's internal bindings: spawn, tcp, raw fs), _getActiveHandles /
//   _getActiveRequests (they hand out the kernel's own Worker and sockets), _debugProcess and SIGUSR1 to
//   itself (start the inspector);
// - process.getBuiltinModule: only the modules a cell may require (grading-modules.cjs);
// - process.dlopen: only native addons installed in the project (zeromq, kernel-lib's BLAS), not one a cell
//   wrote into its scratch folder;
// - fs on the process's own /proc/<pid>/ and its threads' (/proc/self/mem is its memory, readable and
//   writable): refused with EACCES. Other processes' entries (bwrap's /proc/1) stay readable.
const fs = require("fs");
const path = require("path");
const { allowedBuiltin } = require("./grading-modules.cjs");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const realpathSync = fs.realpathSync;
const refuse = (what) => function refused() {
  throw new Error(`${what} is not available while grading`);
};
const lock = (name, value) => Object.defineProperty(process, name, { value, writable: false, enumerable: false, configurable: false });

for (const name of ["binding", "_linkedBinding", "_getActiveHandles", "_getActiveRequests", "_debugProcess", "_debugEnd"]) {
  if (name in process) lock(name, refuse(`process.${name}`));
}

const kill = process._kill;
lock("_kill", function _kill(pid, sig) {
  if (sig === 10 && (pid === process.pid || pid === 0 || pid === -process.pid)) throw new Error("SIGUSR1 (the inspector) is not available while grading");
  return kill.call(process, pid, sig);
});

if (typeof process.getBuiltinModule === "function") {
  const get = process.getBuiltinModule.bind(process);
  lock("getBuiltinModule", function getBuiltinModule(id) {
    if (!allowedBuiltin(String(id))) throw new Error(`process.getBuiltinModule("${String(id)}") is refused while grading`);
    return get(id);
  });
}

const dlopen = process.dlopen.bind(process);
const addonRoots = [path.join(ROOT, "node_modules") + path.sep, path.join(ROOT, "kernel-lib") + path.sep];
lock("dlopen", function dlopen_(module, filename, ...rest) {
  let real = String(filename);
  try {
    real = realpathSync(real);
  } catch {
    // dlopen reports the missing file itself
  }
  if (!addonRoots.some((r) => real.startsWith(r))) throw new Error(`loading the native addon ${String(filename)} is refused while grading`);
  return dlopen(module, filename, ...rest);
});

// /proc/self/, /proc/thread-self/ and /proc/<own pid or thread id>/: the process's memory, fds, environment.
const PROC = /^\/proc\/(self|thread-self|\d+)(?:\/|$)/;
const readdirSync = fs.readdirSync;

function ownProc(p) {
  const m = PROC.exec(p);
  if (!m) return false;
  if (m[1] === "self" || m[1] === "thread-self" || m[1] === String(process.pid)) return true;
  try {
    return readdirSync(`/proc/${process.pid}/task`).includes(m[1]); // a thread of this process: the same memory
  } catch {
    return true;
  }
}
const SAFE = [path.join(ROOT, "node_modules") + path.sep, path.join(ROOT, "kernel-lib") + path.sep, path.join(ROOT, "tools") + path.sep];

function toPath(p) {
  if (typeof p === "string") return p;
  if (Buffer.isBuffer(p)) return p.toString("utf8");
  if (p instanceof URL) return p.protocol === "file:" ? decodeURIComponent(p.pathname) : null;
  return null;
}

function check(p) {
  const s = toPath(p);
  if (s === null) return;
  const abs = path.resolve(s);
  // Read-only project folders hold no link into /proc (the sandbox keeps them so): no realpath, TypeScript reads them a lot.
  if (SAFE.some((r) => abs.startsWith(r))) return;
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    try {
      real = path.join(realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      // nothing there: the call itself fails
    }
  }
  if (ownProc(abs) || ownProc(real)) {
    const e = new Error(`EACCES: ${s}: the kernel's own /proc entries are not available while grading`);
    e.code = "EACCES";
    throw e;
  }
}

// The functions whose first argument is a file descriptor, not a path.
const FD_FIRST = new Set(["close", "fchmod", "fchown", "fdatasync", "fstat", "fsync", "ftruncate", "futimes", "read", "readv", "write", "writev"].flatMap((n) => [n, n + "Sync"]));

function wrapAll(target) {
  for (const name of Object.keys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, name);
    if (!d || typeof d.value !== "function" || !d.writable || /^[A-Z]/.test(name) || FD_FIRST.has(name)) continue;
    const fn = d.value;
    const wrapped = function (...args) {
      check(args[0]);
      return fn.apply(this, args);
    };
    for (const k of Reflect.ownKeys(fn)) {
      if (k === "length" || k === "name" || k === "prototype") continue;
      const inner = Object.getOwnPropertyDescriptor(fn, k);
      if (typeof inner.value === "function" && k === "native") {
        const native = inner.value;
        inner.value = function (...args) {
          check(args[0]);
          return native.apply(this, args);
        };
      }
      Object.defineProperty(wrapped, k, inner);
    }
    Object.defineProperty(wrapped, "name", { value: fn.name });
    target[name] = wrapped;
  }
}
wrapAll(fs);
wrapAll(fs.promises);
