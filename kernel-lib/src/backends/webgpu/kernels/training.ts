/**
 * Fused training kernels: the SGD and Adam/AdamW updates (one thread per element, PyTorch's update order, every
 * intermediate rounded to f32 as the CPU's float32 loops round it), and softmax-cross-entropy (one thread per row
 * for the row's loss and gradient, then a fixed-order sum of the row losses).
 */
import type { AdamStepArgs, SgdStepArgs } from "../../backend";
import type { KernelLaunch } from "../launch";
import { WGSL_LIBRARY } from "../wgsl/library";
import { Uniforms, entry1d, grid1d, storageDecl } from "../wgsl/common";
import type { Operand } from "./elementwise";

function float32Only(op: string, xs: readonly Operand[]): void {
  for (const x of xs) if (x.dtype !== "float32") throw new Error(`webgpu: ${op} of a ${x.dtype} tensor (float32 only on the GPU)`);
}

export function sgdLaunch(param: Operand, grad: Operand, buf: Operand | null, n: number, a: SgdStepArgs): KernelLaunch | null {
  float32Only("an SGD step", buf ? [param, grad, buf] : [param, grad]);
  if (n === 0) return null;
  const u = new Uniforms();
  const N = u.u32(n), lr = u.f32(a.lr), wd = u.f32(a.weightDecay), mom = u.f32(a.momentum), keep = u.f32(a.keep);
  const sign = u.f32(a.sign), first = u.u32(a.first ? 1 : 0);
  const decls = storageDecl(0, "p", "f32", "read_write") + storageDecl(1, "g", "f32", "read") +
    (buf ? storageDecl(2, "b", "f32", "read_write") : "") + u.declaration(buf ? 3 : 2);
  const wgsl = `${decls}${entry1d()}
  if (i >= ${N}) { return; }
  var d = ${sign} * g[i];
  if (${wd} != 0.0) { d = d + ${wd} * p[i]; }
  ${buf ? `var bi = d;
  if (${first} == 0u) { bi = b[i] * ${mom} + ${keep} * d; }
  b[i] = bi;
  ${a.nesterov ? `d = d + ${mom} * bi;` : "d = bi;"}` : ""}
  p[i] = p[i] - ${lr} * d;
}`;
  return {
    key: `sgd:${buf ? "m" : ""}${a.nesterov ? "n" : ""}`, wgsl,
    bindings: [{ buffer: param.id, access: "read_write" }, { buffer: grad.id, access: "read" }, ...(buf ? [{ buffer: buf.id, access: "read_write" as const }] : [])],
    uniforms: u.bytes(), workgroups: grid1d(n),
  };
}

export function adamLaunch(param: Operand, grad: Operand, m: Operand, v: Operand, vmax: Operand | null, n: number, a: AdamStepArgs): KernelLaunch | null {
  float32Only("an Adam step", vmax ? [param, grad, m, v, vmax] : [param, grad, m, v]);
  if (n === 0) return null;
  const u = new Uniforms();
  const N = u.u32(n), b1 = u.f32(a.beta1), b2 = u.f32(a.beta2), c1 = u.f32(1 - a.beta1), c2 = u.f32(1 - a.beta2);
  const stepSize = u.f32(a.stepSize), bc2 = u.f32(a.bc2Sqrt), eps = u.f32(a.eps), wd = u.f32(a.weightDecay);
  const shrink = u.f32(a.shrink), sign = u.f32(a.sign);
  const decls = storageDecl(0, "p", "f32", "read_write") + storageDecl(1, "g", "f32", "read") + storageDecl(2, "m", "f32", "read_write") +
    storageDecl(3, "v", "f32", "read_write") + (vmax ? storageDecl(4, "vmax", "f32", "read_write") : "") + u.declaration(vmax ? 5 : 4);
  const wgsl = `${WGSL_LIBRARY}${decls}${entry1d()}
  if (i >= ${N}) { return; }
  var pi = p[i];
  if (${shrink} != 1.0) { pi = pi * ${shrink}; }
  var gi = ${sign} * g[i];
  if (${wd} != 0.0) { gi = gi + ${wd} * pi; }
  let mi = m[i] * ${b1} + ${c1} * gi;
  let vi = v[i] * ${b2} + (${c2} * gi) * gi;
  m[i] = mi;
  v[i] = vi;
  var second = vi;
  ${vmax ? "second = max(vmax[i], vi);\n  vmax[i] = second;" : ""}
  let denom = kl_sqrt(second) / ${bc2} + ${eps};
  p[i] = pi - (${stepSize} * mi) / denom;
}`;
  return {
    key: `adam:${vmax ? "amsgrad" : ""}`, wgsl,
    bindings: [
      { buffer: param.id, access: "read_write" }, { buffer: grad.id, access: "read" }, { buffer: m.id, access: "read_write" },
      { buffer: v.id, access: "read_write" }, ...(vmax ? [{ buffer: vmax.id, access: "read_write" as const }] : []),
    ],
    uniforms: u.bytes(), workgroups: grid1d(n),
  };
}

/**
 * Per row: rowLoss[r] = log Σ exp(x - max) + max - x[label], and with `grad`, grad[r, :] = scale · (softmax − onehot).
 * Labels are int32 and in range (the op checks them).
 */
export function crossEntropyRowsLaunch(logits: Operand, labels: Operand, rows: number, cols: number, scale: number, rowLoss: Operand, grad: Operand | null): KernelLaunch | null {
  float32Only("softmax-cross-entropy", grad ? [logits, rowLoss, grad] : [logits, rowLoss]);
  if (labels.dtype !== "int32") throw new Error(`webgpu: cross-entropy labels must be int32 on the GPU, not ${labels.dtype}`);
  if (rows === 0) return null;
  const u = new Uniforms();
  const R = u.u32(rows), C = u.u32(cols), S = u.f32(scale);
  const decls = `${WGSL_LIBRARY}${storageDecl(0, "x", "f32", "read")}${storageDecl(1, "labels", "i32", "read")}${storageDecl(2, "rowLoss", "f32", "read_write")}` +
    (grad ? storageDecl(3, "grad", "f32", "read_write") : "") + u.declaration(grad ? 4 : 3);
  const wgsl = `${decls}${entry1d()}
  if (i >= ${R}) { return; }
  let base = i * ${C};
  var mx: f32 = -kl_inf();
  for (var j = 0u; j < ${C}; j = j + 1u) { mx = max(mx, x[base + j]); }
  var s: f32 = 0.0;
  for (var j = 0u; j < ${C}; j = j + 1u) { s = s + kl_exp(x[base + j] - mx); }
  let label = u32(labels[i]);
  rowLoss[i] = kl_log(s) + mx - x[base + label];
  ${grad ? `for (var j = 0u; j < ${C}; j = j + 1u) {
    var q = kl_exp(x[base + j] - mx) / s;
    if (j == label) { q = q - 1.0; }
    grad[base + j] = ${S} * q;
  }` : ""}
}`;
  return {
    key: `crossEntropyRows:${grad ? "grad" : ""}`, wgsl,
    bindings: [
      { buffer: logits.id, access: "read" }, { buffer: labels.id, access: "read" }, { buffer: rowLoss.id, access: "read_write" },
      ...(grad ? [{ buffer: grad.id, access: "read_write" as const }] : []),
    ],
    uniforms: u.bytes(), workgroups: grid1d(rows),
  };
}
