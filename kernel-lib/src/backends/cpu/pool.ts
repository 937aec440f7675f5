import { DType, TypedArray, allocate } from "../../tensor/dtype";

/**
 * Float arrays handed back by Backend.recycle (dropped gradients that never left the library), kept by dtype and
 * length for the next allocation of that size. A training loop's weight gradients are the same sizes every step, so
 * the next backward writes them into warm memory instead of a fresh array: at the lecture MLP's 575k parameters that
 * was 75 µs a step for the 784x512 gradient alone, zero-filled and page-faulted (bench/README.md). Small arrays cost
 * little to allocate and are not kept; what is kept is bounded (per size and in bytes), so the pool never grows
 * with the number of steps.
 */
const MIN_ELEMENTS = 16384;
const MAX_PER_SIZE = 4;
const MAX_BYTES = 256 * 2 ** 20;

const bySize = new Map<string, TypedArray[]>();
let keptBytes = 0;

const key = (dtype: DType, length: number): string => `${dtype}:${length}`;

function dtypeOf(a: TypedArray): DType | null {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  return null;
}

/** Keeps `a` for reuse when it is a large float array that owns its whole buffer (not a view, not wasm memory). */
export function recycleArray(a: TypedArray): void {
  const dtype = dtypeOf(a);
  if (dtype === null || a.length < MIN_ELEMENTS) return;
  if (a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength || !(a.buffer instanceof ArrayBuffer)) return;
  if (keptBytes + a.byteLength > MAX_BYTES) return;
  const k = key(dtype, a.length);
  let list = bySize.get(k);
  if (list === undefined) bySize.set(k, (list = []));
  if (list.length >= MAX_PER_SIZE || list.includes(a)) return;
  list.push(a);
  keptBytes += a.byteLength;
}

/** A kept array of this dtype and length (old contents), or null. */
function take(dtype: DType, length: number): TypedArray | null {
  if (length < MIN_ELEMENTS) return null;
  const a = bySize.get(key(dtype, length))?.pop();
  if (a === undefined) return null;
  keptBytes -= a.byteLength;
  return a;
}

/** Zero-filled: a kept array cleared, or a new one. */
export function allocZeroed(dtype: DType, length: number): TypedArray {
  const a = take(dtype, length);
  if (a === null) return allocate(dtype, length);
  a.fill(0);
  return a;
}

/** Contents unspecified (the caller overwrites every element): a kept array as it is, or a new one. */
export function allocUninitialized(dtype: DType, length: number): TypedArray {
  return take(dtype, length) ?? allocate(dtype, length);
}

/** @internal bytes held for reuse (tests) */
export function pooledBytes(): number {
  return keptBytes;
}
