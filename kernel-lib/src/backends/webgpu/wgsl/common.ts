/**
 * What every kernel builder shares: how each dtype is stored (4 bytes per element: f32, i32, and u32 for
 * uint8/bool, since WGSL storage has no 8-bit type), loads that give f32, stores that convert an f32 back, a
 * uniform block packed as u32 words, and 1-D grids that spill over y past 65535 workgroups.
 */
import type { DType } from "../../../tensor/dtype";

export type WgslType = "f32" | "i32" | "u32";

export function wgslType(dtype: DType): WgslType {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "uint8":
    case "bool":
      return "u32";
    case "float64":
      throw float64Error();
  }
}

export function float64Error(): Error {
  return new Error(
    "webgpu: float64 tensors cannot live on the GPU (WGSL has no 64-bit floats); keep float64 work on the CPU, or convert first with .float()",
  );
}

/** The WGSL expression reading element `index` of buffer `name` as f32. */
export function loadF32(name: string, dtype: DType, index: string): string {
  return wgslType(dtype) === "f32" ? `${name}[${index}]` : `f32(${name}[${index}])`;
}

/** The WGSL expression converting f32 `value` to the storage type of dtype. */
export function storeFromF32(dtype: DType, value: string): string {
  switch (wgslType(dtype)) {
    case "f32":
      return value;
    case "i32":
      return `kl_to_i32(${value})`;
    case "u32":
      return `kl_to_u8(${value})`;
  }
}

/** Packs a kernel's scalar parameters as u32 words; `ref(k)` is the WGSL expression for word k. */
export class Uniforms {
  private readonly words: number[] = [];
  private readonly view = new DataView(new ArrayBuffer(4));

  u32(v: number): string {
    this.words.push(v >>> 0);
    return this.ref(this.words.length - 1, "u32");
  }

  i32(v: number): string {
    this.words.push(v | 0);
    return this.ref(this.words.length - 1, "i32");
  }

  f32(v: number): string {
    this.view.setFloat32(0, v, true);
    this.words.push(this.view.getUint32(0, true));
    return this.ref(this.words.length - 1, "f32");
  }

  private ref(k: number, as: WgslType): string {
    const word = `u.w[${k >> 2}][${k & 3}]`;
    return as === "u32" ? word : `bitcast<${as}>(${word})`;
  }

  /** The struct declaration, at `binding`. */
  declaration(binding: number): string {
    const vec4s = Math.max(1, Math.ceil(this.words.length / 4));
    return `struct U { w: array<vec4<u32>, ${vec4s}> }\n@group(0) @binding(${binding}) var<uniform> u: U;\n`;
  }

  bytes(): ArrayBuffer {
    const vec4s = Math.max(1, Math.ceil(this.words.length / 4));
    const out = new Uint32Array(vec4s * 4);
    out.set(this.words);
    return out.buffer;
  }
}

export const WORKGROUP = 256;
const MAX_GROUPS = 65535;

/** Workgroup counts for `threads` threads of WORKGROUP each. */
export function grid1d(threads: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  const x = Math.min(groups, MAX_GROUPS);
  return [x, Math.ceil(groups / x), 1];
}

/** The entry point's header for a 1-D kernel; the body sees `i`, its thread index. */
export function entry1d(): string {
  return `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WORKGROUP}u + lid;`;
}

export function storageDecl(binding: number, name: string, type: WgslType, access: "read" | "read_write"): string {
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${type}>;\n`;
}

/**
 * Merges dims that every operand walks contiguously (stride[d] = stride[d+1] * shape[d+1]) and drops size-1 dims,
 * so most elementwise launches index a 1-D array.
 */
export function collapseDims(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const s: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && strides.every((x, k) => st[k][last] === x[d] * shape[d])) {
      s[last] *= shape[d];
      strides.forEach((x, k) => (st[k][last] = x[d]));
    } else {
      s.push(shape[d]);
      strides.forEach((x, k) => st[k].push(x[d]));
    }
  }
  if (s.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: s, strides: st };
}
