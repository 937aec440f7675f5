// Argument checks shared by the wasm kernels and their TypeScript fallbacks.

export function checkDims(op: string, dims: Record<string, number>): void {
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${op}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless array holds `count` elements from `offset`. */
export function checkSpan(op: string, name: string, array: ArrayLike<number>, offset: number, count: number, shape: string): void {
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`${op}: ${name} offset must be a non-negative integer, got ${offset}`);
  if (offset + count > array.length) {
    throw new Error(`${op}: ${name} needs ${count} elements ${shape} from offset ${offset}, but has length ${array.length}`);
  }
}

export function checkFloat32(op: string, name: string, array: unknown): void {
  if (!(array instanceof Float32Array)) throw new Error(`${op}: ${name} must be a Float32Array`);
}

export function checkSameLength(op: string, arrays: Record<string, ArrayLike<number>>): number {
  const entries = Object.entries(arrays);
  const n = entries[0][1].length;
  for (const [name, a] of entries) {
    if (a.length !== n) {
      throw new Error(`${op}: ${entries.map(([k, v]) => `${k} has ${v.length}`).join(", ")} elements; ${name} differs`);
    }
  }
  return n;
}
