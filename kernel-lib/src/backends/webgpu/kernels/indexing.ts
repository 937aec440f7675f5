/**
 * indexSelect/gather (one thread per output element) and their adjoints indexAdd/scatterAdd. WGSL has no atomic
 * float add, so an adjoint gives each (outer, inner) column one thread that adds its contributions in order:
 * deterministic, and the same order as the CPU loop. Indices arrive in range (ops check and wrap them on the
 * host), as int32.
 */
import type { KernelLaunch } from "../launch";
import { WGSL_STORE_LIBRARY } from "../wgsl/library";
import { Uniforms, entry1d, grid1d, loadF32, storageDecl, storeFromF32, wgslType } from "../wgsl/common";
import type { Operand } from "./elementwise";

function checkIndex(index: Operand): void {
  if (index.dtype !== "int32") throw new Error(`webgpu: an index tensor must be int32 on the GPU, not ${index.dtype}`);
}

function header(x: Operand, index: Operand, out: Operand, u: Uniforms, outAccess: "read_write"): string {
  return `${WGSL_STORE_LIBRARY}${storageDecl(0, "x", wgslType(x.dtype), "read")}${storageDecl(1, "idx", "i32", "read")}${storageDecl(2, "out", wgslType(out.dtype), outAccess)}${u.declaration(3)}`;
}

const bindings = (x: Operand, index: Operand, out: Operand) => [
  { buffer: x.id, access: "read" as const }, { buffer: index.id, access: "read" as const }, { buffer: out.id, access: "read_write" as const },
];

/** out[o, j, i] = x[o, index[j], i] (or index[o, j, i] with `perElement`, i.e. gather) */
export function selectLaunch(x: Operand, outer: number, size: number, inner: number, index: Operand, idxSize: number, out: Operand, perElement: boolean): KernelLaunch | null {
  checkIndex(index);
  const n = outer * idxSize * inner;
  if (n === 0) return null;
  const u = new Uniforms();
  const S = u.u32(size), J = u.u32(idxSize), I = u.u32(inner), total = u.u32(n);
  const same = wgslType(x.dtype) === wgslType(out.dtype);
  const wgsl = `${header(x, index, out, u, "read_write")}${entry1d()}
  if (i >= ${total}) { return; }
  let k = i % ${I};
  let j = (i / ${I}) % ${J};
  let o = i / (${I} * ${J});
  let src = u32(idx[${perElement ? "i" : "j"}]);
  let at = (o * ${S} + src) * ${I} + k;
  out[i] = ${same ? "x[at]" : storeFromF32(out.dtype, loadF32("x", x.dtype, "at"))};
}`;
  return { key: `${perElement ? "gather" : "indexSelect"}:${x.dtype}>${out.dtype}`, wgsl, bindings: bindings(x, index, out), uniforms: u.bytes(), workgroups: grid1d(n) };
}

/** out[o, index[j], i] += src[o, j, i] (or index[o, j, i] with `perElement`, i.e. scatterAdd), float32 */
export function addAtLaunch(src: Operand, outer: number, size: number, inner: number, index: Operand, idxSize: number, out: Operand, perElement: boolean): KernelLaunch | null {
  checkIndex(index);
  const columns = outer * inner;
  if (columns === 0 || idxSize === 0) return null;
  if (wgslType(out.dtype) !== "f32") throw new Error(`webgpu: ${perElement ? "scatterAdd" : "indexAdd"} into a ${out.dtype} tensor (float32 only on the GPU)`);
  const u = new Uniforms();
  const S = u.u32(size), J = u.u32(idxSize), I = u.u32(inner), total = u.u32(columns);
  const wgsl = `${header(src, index, out, u, "read_write")}${entry1d()}
  if (i >= ${total}) { return; }
  let k = i % ${I};
  let o = i / ${I};
  for (var j = 0u; j < ${J}; j = j + 1u) {
    let src_at = (o * ${J} + j) * ${I} + k;
    let dst = u32(idx[${perElement ? "src_at" : "j"}]);
    let at = (o * ${S} + dst) * ${I} + k;
    out[at] = out[at] + ${loadF32("x", src.dtype, "src_at")};
  }
}`;
  return { key: `${perElement ? "scatterAdd" : "indexAdd"}:${src.dtype}`, wgsl, bindings: bindings(src, index, out), uniforms: u.bytes(), workgroups: grid1d(columns) };
}
