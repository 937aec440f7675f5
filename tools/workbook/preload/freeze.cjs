"use strict";
// Freezes, before tslab or any cell runs, what a cell could otherwise replace to fool a test's check or to
// watch the kernel at work (loaded last by harden-grading.cjs):
// - Math, JSON, Reflect, Atomics, the global constructors and their prototypes (as before: Math.abs = () => 0,
//   Array.prototype.some = () => false or a wrapped JSON.parse fail);
// - Object.prototype and the Error prototypes, "tamed" as SES does it: each of their data properties becomes
//   an accessor whose setter defines the property on the object assigned to, so `obj.toString = f` and
//   `err.name = "X"` still work (no "override mistake") while the prototype itself cannot change. A setter on
//   Object.prototype would otherwise see every property the TypeScript compiler assigns (the test's source);
// - every other global constructor with its prototype chain (MessagePort, EventTarget, ...: the kernel's
//   messages pass through them), EventEmitter.prototype (the Worker's "message" events), the iterator and
//   generator prototypes, Intl and WebAssembly;
// - Error.prepareStackTrace / captureStackTrace (locked: nothing in the kernel uses them).
// The global bindings of the constructors are made read-only, so globalThis.Math = fake fails too.

function tame(obj) {
  if (Object.isFrozen(obj) || Object.isSealed(obj)) return;
  let stuck = false;
  for (const key of Reflect.ownKeys(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, key);
    if (!d || !("value" in d) || !d.writable) continue;
    if (!d.configurable) {
      // cannot become an accessor (Node's EventEmitter.prototype[kCapture]): stays writable, the object is sealed
      stuck = true;
      continue;
    }
    const value = d.value;
    Object.defineProperty(obj, key, {
      get() {
        return value;
      },
      set(v) {
        if (this === obj) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a frozen built-in (grading)`);
        if (this === null || (typeof this !== "object" && typeof this !== "function")) return;
        Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false,
    });
  }
  if (stuck) Object.seal(obj);
  else Object.freeze(obj);
}

const plain = [
  Math, JSON, Reflect, Atomics,
  Object, Array, Function, Number, String, Boolean, Symbol, Promise, Map, Set, WeakMap, WeakSet, RegExp, Date, BigInt,
  Array.prototype, Function.prototype, Number.prototype, String.prototype, Boolean.prototype, Symbol.prototype,
  Promise.prototype, Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype, RegExp.prototype, Date.prototype, BigInt.prototype,
  Object.getPrototypeOf(Int8Array), Object.getPrototypeOf(Int8Array.prototype),
  Float32Array, Float64Array, Int32Array, Uint8Array, Float32Array.prototype, Float64Array.prototype, Int32Array.prototype, Uint8Array.prototype,
  ArrayBuffer, ArrayBuffer.prototype, DataView.prototype,
];
for (const t of plain) Object.freeze(t);

for (const name of ["prepareStackTrace", "captureStackTrace"]) {
  Object.defineProperty(Error, name, { value: Error[name], writable: false, enumerable: false, configurable: false });
}
tame(Object.prototype);
// The error constructors themselves stay writable: libraries set Error.stackTraceLimit (TypeScript does).
const ERRORS = new Set([Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError]);
for (const E of ERRORS) tame(E.prototype);

/** A class: its prototype chain up to Object.prototype (tamed), the function and its parent classes (frozen). */
function hardenClass(fn) {
  for (let f = fn; typeof f === "function" && f !== Function.prototype && !ERRORS.has(f) && !Object.isFrozen(f); f = Object.getPrototypeOf(f)) {
    if (f.prototype && typeof f.prototype === "object") hardenChain(f.prototype);
    Object.freeze(f);
  }
}

function hardenChain(p) {
  for (; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) tame(p);
}

// The intrinsics no global names: iterators, generators, async functions.
const gen = function* () {};
const agen = async function* () {};
const intrinsics = [
  Object.getPrototypeOf([][Symbol.iterator]()),
  Object.getPrototypeOf(new Map()[Symbol.iterator]()),
  Object.getPrototypeOf(new Set()[Symbol.iterator]()),
  Object.getPrototypeOf(""[Symbol.iterator]()),
  Object.getPrototypeOf("".matchAll(/x/g)),
  Object.getPrototypeOf(gen), Object.getPrototypeOf(gen).prototype, Object.getPrototypeOf(agen), Object.getPrototypeOf(agen).prototype,
  Object.getPrototypeOf(async function () {}),
];
for (const p of intrinsics) hardenChain(p);
for (const f of [Object.getPrototypeOf(gen).constructor, Object.getPrototypeOf(agen).constructor, Object.getPrototypeOf(async function () {}).constructor]) hardenClass(f);

const SKIP = new Set(["globalThis", "global", "process", "console", "performance", "navigator", "crypto"]);
for (const name of Object.getOwnPropertyNames(globalThis)) {
  if (SKIP.has(name) || name.startsWith("__")) continue;
  let value;
  try {
    value = globalThis[name];
  } catch {
    continue;
  }
  if (typeof value === "function") hardenClass(value);
  else if (value && typeof value === "object" && (name === "Intl" || name === "WebAssembly")) {
    for (const v of Object.values(value)) if (typeof v === "function") hardenClass(v);
    Object.freeze(value);
  }
}
// EventEmitter.prototype and the process object's own prototype, reached from `process`.
hardenChain(Object.getPrototypeOf(process));

// The global bindings themselves: globalThis.Math = fakeMath must fail too.
for (const name of Object.getOwnPropertyNames(globalThis)) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  if (!d || !("value" in d) || !d.configurable || SKIP.has(name) || name.startsWith("__")) continue;
  if (typeof d.value === "function" || name === "Math" || name === "JSON" || name === "Reflect" || name === "Atomics" || name === "Intl" || name === "WebAssembly") {
    Object.defineProperty(globalThis, name, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
  }
}
