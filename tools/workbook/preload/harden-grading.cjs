"use strict";
// Loaded with `node --require` into a grading kernel before tslab and any student code (lab/harden.ts).
// Freezes the built-in objects and prototypes that tests' checks rely on, so code in a solution region cannot
// replace them (Math.abs = () => 0, Array.prototype.every = () => true, JSON.parse wrapped to record the
// tests the grader sends). Object.prototype and Error.prototype stay writable: freezing them breaks ordinary
// libraries ("override mistake": obj.constructor = ..., err.name = ...).
const targets = [
  Math, JSON, Reflect, Atomics,
  Object, Array, Function, Number, String, Boolean, Symbol, Promise, Map, Set, WeakMap, WeakSet, RegExp, Date, BigInt,
  Array.prototype, Function.prototype, Number.prototype, String.prototype, Boolean.prototype, Symbol.prototype,
  Promise.prototype, Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype, RegExp.prototype, Date.prototype, BigInt.prototype,
  Object.getPrototypeOf(Int8Array), Object.getPrototypeOf(Int8Array.prototype),
  Float32Array, Float64Array, Int32Array, Uint8Array, Float32Array.prototype, Float64Array.prototype, Int32Array.prototype, Uint8Array.prototype,
  ArrayBuffer, ArrayBuffer.prototype, DataView.prototype,
];
for (const t of targets) Object.freeze(t);
// The global bindings themselves: globalThis.Math = fakeMath must fail too.
for (const name of ["Math", "JSON", "Reflect", "Object", "Array", "Function", "Number", "String", "Boolean", "Promise", "Map", "Set", "Float32Array", "Float64Array"]) {
  Object.defineProperty(globalThis, name, { value: globalThis[name], writable: false, configurable: false, enumerable: false });
}
