/**
 * The kernel's grading mode: on when the grading preload (tools/workbook/preload/harden-grading.cjs) ran,
 * never in the course kernel. Cells then get a restricted `require` (kernel-lib and a few plain Node modules,
 * see preload/grading-modules.cjs), run in strict mode (a function they are called from cannot be read through
 * `fn.caller`), cannot reach tslab through `__tslab__`, `process.mainModule` or `require.cache`, and find
 * kernel-lib's namespaces, functions and class prototypes frozen (torch.allclose = () => true fails).
 */
import * as path from "path";
import { types } from "util";

const GRADING = Symbol.for("workbook.grading");

interface GradingApi {
  allowedBuiltin(id: string): boolean;
}

export function gradingApi(): GradingApi | undefined {
  return (globalThis as Record<symbol, unknown>)[GRADING] as GradingApi | undefined;
}

type Require = ((id: string) => unknown) & { resolve(id: string): string };

const REFUSED =
  "a cell may load kernel-lib and the Node modules assert, buffer, crypto, fs, os, path, perf_hooks, querystring, readline, " +
  "string_decoder, timers, url, util and zlib; not tslab, the kernel's own modules, module, vm, inspector, worker_threads, v8, " +
  "child_process, cluster, the network, other packages or files";

export interface CellRequire {
  require: (id: string) => unknown;
  /** Freezes kernel-lib modules loaded since (kernel-lib loads some lazily); run before each cell. */
  hardenLoaded(): void;
}

/** `require` for grading cells: allowlisted modules only; kernel-lib frozen once loaded; Node modules as frozen copies. */
export function restrictedRequire(api: GradingApi, inner: Require): CellRequire {
  const copies = new Map<string, unknown>();
  let kernelLibRoot: string | undefined;
  const hardenKernelLib = () => {
    kernelLibRoot ??= path.dirname(inner.resolve("kernel-lib/package.json")) + path.sep;
    hardenLoadedModules(kernelLibRoot);
  };
  const hardenLoaded = () => {
    if (kernelLibRoot) hardenLoadedModules(kernelLibRoot);
  };
  const require = function require(id: string): unknown {
    if (typeof id !== "string") throw new TypeError("require: the module name must be a string");
    if (id === "kernel-lib" || id.startsWith("kernel-lib/")) {
      const m = inner(id);
      hardenKernelLib();
      return m;
    }
    if (!api.allowedBuiltin(id)) throw new Error(`require("${id}") is refused while grading: ${REFUSED}`);
    const name = id.replace(/^node:/, "");
    if (!copies.has(name)) copies.set(name, frozenCopy(inner(name)));
    return copies.get(name);
  };
  return { require, hardenLoaded };
}

/** A Node module as a frozen copy (its nested namespaces copied too, its functions frozen): a cell cannot change what the kernel uses. */
function frozenCopy(mod: unknown): unknown {
  if (typeof mod === "function") return Object.freeze(mod);
  if (!mod || typeof mod !== "object") return mod;
  const seen = new Map<object, object>();
  const copy = (o: object, depth: number): object => {
    const done = seen.get(o);
    if (done) return done;
    const out: Record<string | symbol, unknown> = {};
    seen.set(o, out);
    for (const key of Object.keys(o)) {
      let v: unknown;
      try {
        v = (o as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      if (typeof v === "function") Object.freeze(v);
      else if (v && typeof v === "object" && depth < 2 && Object.getPrototypeOf(v) === Object.prototype) v = copy(v, depth + 1);
      out[key] = v;
    }
    return Object.freeze(out);
  };
  return copy(mod, 0);
}

const hardened = new Set<string>();

/** Freezes the exports of every fully loaded module under `root` not frozen yet (kernel-lib loads some lazily). */
export function hardenLoadedModules(root: string): void {
  const roots: unknown[] = [];
  for (const [file, m] of Object.entries(require.cache)) {
    if (!m || !m.loaded || hardened.has(file) || !file.startsWith(root)) continue;
    hardened.add(file);
    roots.push(m.exports);
  }
  if (roots.length > 0) harden(roots);
}

type Role = "value" | "prototype";

/**
 * Freezes a library's object graph as far as it is code, not state: functions (and their statics), class
 * prototypes along their chains (Tensor.prototype's item-access Proxy included), and plain objects (namespaces).
 * Instances (a generator, a cache) are not frozen, only their prototypes. The built-ins are frozen already.
 */
export function harden(roots: unknown[]): void {
  const seen = new WeakSet<object>();
  const stack: Array<[unknown, Role]> = roots.map((r) => [r, "value"]);
  while (stack.length > 0) {
    const [v, role] = stack.pop()!;
    if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) continue;
    seen.add(v);
    if (isBuiltin(v)) continue; // frozen by the preload, or left writable on purpose (Error.stackTraceLimit)
    const proto = Object.getPrototypeOf(v) as object | null;
    const isFunction = typeof v === "function";
    const freezable = isFunction || role === "prototype" || proto === null || proto === Object.prototype;
    // an instance's class, a class's parent class, a prototype's parent prototype
    if (proto) stack.push([proto, isFunction ? "value" : "prototype"]);
    if (!freezable) continue;
    if (!types.isProxy(v)) {
      for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
        if ("value" in d) stack.push([d.value, isFunction && key === "prototype" ? "prototype" : "value"]);
        if (d.get) stack.push([d.get, "value"]);
        if (d.set) stack.push([d.set, "value"]);
      }
    }
    try {
      Object.freeze(v);
    } catch {
      // a Proxy that refuses: left as it is
    }
  }
}

const nativeSource = Function.prototype.toString;

/** A built-in function, or the prototype of one (its own `constructor` is built in). */
function isBuiltin(v: object): boolean {
  const native = (f: unknown) => typeof f === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(nativeSource.call(f));
  if (typeof v === "function") return native(v);
  const own = Object.getOwnPropertyDescriptor(v, "constructor");
  return !!own && "value" in own && native(own.value);
}

/** What the kernel locks once tslab is set up: `__tslab__` (its require) and process.mainModule (the kernel's own). */
export function lockKernelGlobals(cellRequire: (id: string) => unknown): void {
  const g = globalThis as unknown as { __tslab__?: { exports: unknown } };
  const exportsObject = g.__tslab__?.exports;
  Object.defineProperty(globalThis, "__tslab__", { value: Object.freeze({ exports: exportsObject, require: cellRequire }), writable: false, enumerable: false, configurable: false });
  Object.defineProperty(process, "mainModule", { value: undefined, writable: false, enumerable: false, configurable: false });
}

/** What the grader's verdict statement calls (lab/verdict.ts): the cells that hold it are test cells. */
export const VERDICT_CALL = "__workbookVerdict__";

/** tslab's wrapper of a cell, `(function(exports, require) { ...`, made strict (a "use strict" directive first in the body). */
export function strictCell(wrapped: string): string {
  return wrapped.replace(/^(\((?:async )?function\(exports, require\) \{ )/, '$1"use strict"; ');
}
