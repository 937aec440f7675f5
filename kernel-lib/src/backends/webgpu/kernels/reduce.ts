/**
 * Reductions over the middle axis of [outer, size, inner] and softmax. One thread per output walks its row in
 * order (deterministic, and enough parallelism when outer·inner is large); a row reduction of a few long rows
 * (inner = 1, size large) instead gives each row a workgroup that combines in a fixed tree, so the sum of a
 * whole tensor does not run on one thread.
 */
import type { ReduceOp } from "../../backend";
import type { KernelLaunch } from "../launch";
import { WGSL_LIBRARY, WGSL_STORE_LIBRARY } from "../wgsl/library";
import { Uniforms, WORKGROUP, entry1d, grid1d, loadF32, storageDecl, storeFromF32, wgslType } from "../wgsl/common";
import type { Operand } from "./elementwise";

/** Below this many outputs, long rows get a workgroup each. */
const TREE_MAX_OUTPUTS = 4096;
const TREE_MIN_SIZE = 1024;

const INIT: Record<ReduceOp, string> = {
  sum: "0.0", prod: "1.0", max: "-kl_inf()", min: "kl_inf()", argmax: "-kl_inf()", argmin: "kl_inf()",
};

/**
 * How acc (with index ai) absorbs v (index vi). NaN wins max/min and argmax/argmin at its first position, as in
 * PyTorch; ties keep the first index.
 */
function combine(op: ReduceOp): string {
  switch (op) {
    case "sum":
      return "acc = acc + v;";
    case "prod":
      return "acc = acc * v;";
    case "max":
    case "argmax":
      return "if (!kl_isnan(acc) && (kl_isnan(v) || v > acc || (ai == 0xffffffffu))) { acc = v; ai = vi; }";
    case "min":
    case "argmin":
      return "if (!kl_isnan(acc) && (kl_isnan(v) || v < acc || (ai == 0xffffffffu))) { acc = v; ai = vi; }";
  }
}

const result = (op: ReduceOp): string => (op === "argmax" || op === "argmin" ? "f32(ai)" : "acc");

export function reduceLaunch(op: ReduceOp, x: Operand, outer: number, size: number, inner: number, out: Operand): KernelLaunch | null {
  const outputs = outer * inner;
  if (outputs === 0) return null;
  const tree = inner === 1 && size >= TREE_MIN_SIZE && outputs <= TREE_MAX_OUTPUTS;
  const u = new Uniforms();
  const O = u.u32(outer), S = u.u32(size), I = u.u32(inner);
  const decls = `${WGSL_LIBRARY}${WGSL_STORE_LIBRARY}${storageDecl(0, "x", wgslType(x.dtype), "read")}${storageDecl(1, "out", wgslType(out.dtype), "read_write")}${u.declaration(2)}`;
  const bindings = [{ buffer: x.id, access: "read" as const }, { buffer: out.id, access: "read_write" as const }];
  if (!tree) {
    const wgsl = `${decls}${entry1d()}
  if (i >= ${O} * ${I}) { return; }
  let o = i / ${I};
  let k = i % ${I};
  var acc: f32 = ${INIT[op]};
  var ai: u32 = 0xffffffffu;
  for (var j = 0u; j < ${S}; j = j + 1u) {
    let v = ${loadF32("x", x.dtype, `(o * ${S} + j) * ${I} + k`)};
    let vi = j;
    ${combine(op)}
  }
  if (ai == 0xffffffffu) { ai = 0u; }
  out[i] = ${storeFromF32(out.dtype, result(op))};
}`;
    return { key: `reduce:${op}:${x.dtype}>${out.dtype}`, wgsl, bindings, uniforms: u.bytes(), workgroups: grid1d(outputs) };
  }
  // one workgroup per row: each thread folds a strided slice in order, then a fixed-shape tree
  const wgsl = `${decls}
var<workgroup> accs: array<f32, ${WORKGROUP}>;
var<workgroup> idxs: array<u32, ${WORKGROUP}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  var acc: f32 = ${INIT[op]};
  var ai: u32 = 0xffffffffu;
  if (o < ${O}) {
    for (var j = lid; j < ${S}; j = j + ${WORKGROUP}u) {
      let v = ${loadF32("x", x.dtype, `o * ${S} + j`)};
      let vi = j;
      ${combine(op)}
    }
  }
  accs[lid] = acc;
  idxs[lid] = ai;
  workgroupBarrier();
  for (var step = ${WORKGROUP / 2}u; step > 0u; step = step / 2u) {
    if (lid < step) {
      acc = accs[lid];
      ai = idxs[lid];
      let v = accs[lid + step];
      let vi = idxs[lid + step];
      if (vi != 0xffffffffu || ${op === "sum" || op === "prod" ? "true" : "false"}) {
        ${op === "max" || op === "argmax" || op === "min" || op === "argmin" ? combine(op).replace("(ai == 0xffffffffu)", "(ai == 0xffffffffu) || (v == acc && vi < ai)") : combine(op)}
      }
      accs[lid] = acc;
      idxs[lid] = ai;
    }
    workgroupBarrier();
  }
  if (lid == 0u && o < ${O}) {
    acc = accs[0];
    ai = idxs[0];
    if (ai == 0xffffffffu) { ai = 0u; }
    out[o] = ${storeFromF32(out.dtype, result(op))};
  }
}`;
  const groups = outer;
  const gx = Math.min(groups, 65535);
  return { key: `reduceTree:${op}:${x.dtype}>${out.dtype}`, wgsl, bindings, uniforms: u.bytes(), workgroups: [gx, Math.ceil(groups / gx), 1] };
}

/** softmax (or log-softmax) over the middle axis; one thread per (outer, inner) row: max, sum of exp, write. */
export function softmaxLaunch(x: Operand, outer: number, size: number, inner: number, out: Operand, log: boolean): KernelLaunch | null {
  const rows = outer * inner;
  if (rows === 0 || size === 0) return null;
  const u = new Uniforms();
  const O = u.u32(outer), S = u.u32(size), I = u.u32(inner);
  const at = (j: string): string => `(o * ${S} + ${j}) * ${I} + k`;
  const wgsl = `${WGSL_LIBRARY}${storageDecl(0, "x", "f32", "read")}${storageDecl(1, "out", "f32", "read_write")}${u.declaration(2)}${entry1d()}
  if (i >= ${O} * ${I}) { return; }
  let o = i / ${I};
  let k = i % ${I};
  var m: f32 = -kl_inf();
  var nan = false;
  for (var j = 0u; j < ${S}; j = j + 1u) {
    let v = x[${at("j")}];
    if (kl_isnan(v)) { nan = true; }
    m = max(m, v);
  }
  if (m == -kl_inf()) { m = 0.0; }
  var s: f32 = 0.0;
  for (var j = 0u; j < ${S}; j = j + 1u) { s = s + kl_exp(x[${at("j")}] - m); }
  ${log ? "let ls = kl_log(s);" : ""}
  for (var j = 0u; j < ${S}; j = j + 1u) {
    let d = x[${at("j")}] - m;
    var r = ${log ? "d - ls" : "kl_exp(d) / s"};
    if (nan) { r = kl_nan(); }
    out[${at("j")}] = r;
  }
}`;
  if (wgslType(x.dtype) !== "f32") throw new Error(`webgpu: softmax of a ${x.dtype} tensor (float32 only on the GPU)`);
  return {
    key: `softmax:${log ? "log" : "exp"}`, wgsl,
    bindings: [{ buffer: x.id, access: "read" }, { buffer: out.id, access: "read_write" }],
    uniforms: u.bytes(), workgroups: grid1d(rows),
  };
}
