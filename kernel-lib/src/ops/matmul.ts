import type { MatmulPlan } from "../backends/backend";
import { freshGrad, record } from "../tensor/autograd";
import { isFloating, promoteTypes } from "../tensor/dtype";
import { broadcastShapes, formatShape, numelOf, stridesOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { alloc, allocUninitialized, backendOf } from "./core";
import { reshape, sumTo } from "./shape";

function check(op: string, a: Tensor, b: Tensor): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new Error(`${op}: both arguments must be Tensors`);
  if (a.device !== b.device) throw new Error(`${op}: tensors are on different devices (${a.device} and ${b.device})`);
  if (!isFloating(a.dtype) || !isFloating(b.dtype)) {
    throw new Error(`${op}: needs floating-point tensors, got ${a.dtype} and ${b.dtype}; convert with .float()`);
  }
  if (a.dim() === 0 || b.dim() === 0) {
    throw new Error(`${op}: both arguments need at least 1 dim, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use mul for scalars`);
  }
}

/**
 * Batched product of matrices a [..., m, k] (or its transpose [..., k, m]) and b [..., k, n] (or [..., n, k]),
 * batch dims broadcast; no autograd. The transposed forms are what backward needs: gA = g·Bᵀ, gB = Aᵀ·g.
 */
export function matmulRaw(a: Tensor, b: Tensor, transA: boolean, transB: boolean, op = "matmul"): Tensor {
  const ar = a.dim(), br = b.dim();
  const m = transA ? a.shape[ar - 1] : a.shape[ar - 2];
  const ka = transA ? a.shape[ar - 2] : a.shape[ar - 1];
  const kb = transB ? b.shape[br - 1] : b.shape[br - 2];
  const n = transB ? b.shape[br - 2] : b.shape[br - 1];
  if (ka !== kb) {
    throw new Error(`${op}: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner sizes ${ka} and ${kb} differ`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new Error(`${op}: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: batch dims ${formatShape(a.shape.slice(0, -2))} and ${formatShape(b.shape.slice(0, -2))} do not broadcast`);
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  const A = a.dtype === dtype ? a : a.to(dtype);
  const B = b.dtype === dtype ? b : b.to(dtype);
  // without accumulation every output element is written (k = 0 included: the kernels then store zeros, but a
  // zero-filled tensor costs nothing extra there)
  const out = ka > 0 ? allocUninitialized([...batch, m, n], dtype, a.device) : alloc([...batch, m, n], dtype, a.device);
  const count = numelOf(batch);
  const aOffsets = batchOffsets(a.shape.slice(0, -2), batch, m * ka);
  const bOffsets = batchOffsets(b.shape.slice(0, -2), batch, ka * n);
  const cOffsets = new Int32Array(count);
  for (let i = 0; i < count; i++) cOffsets[i] = i * m * n;
  const plan: MatmulPlan = { m, n, k: ka, transA, transB, aOffsets, bOffsets, cOffsets, accumulate: false };
  backendOf(a).matmul(A._data, B._data, out._data, plan);
  return out;
}

/** Element offset of each broadcast batch's matrix within an operand with batch dims `own`. */
function batchOffsets(own: readonly number[], batch: readonly number[], matrixSize: number): Int32Array {
  const count = numelOf(batch);
  const offsets = new Int32Array(count);
  const ownStrides = stridesOf(own);
  const shift = batch.length - own.length;
  const idx = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let off = 0;
    for (let d = shift; d < batch.length; d++) if (own[d - shift] !== 1) off += idx[d] * ownStrides[d - shift];
    offsets[i] = off * matrixSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  return offsets;
}

/**
 * a·op(b) with autograd for operands of rank >= 2, optionally with b transposed (what linear(x, W) needs:
 * x·Wᵀ without copying W). Backward uses the transposed kernels directly.
 */
export function matmulND(a: Tensor, b: Tensor, transB = false, op = "matmul"): Tensor {
  const out = matmulRaw(a, b, false, transB, op);
  return record(out, "MmBackward", [a, b], (g, needs) => [
    // gA = g·op(b)ᵀ ; gB = aᵀ·g  (or gᵀ·a when b was transposed)
    needs[0] ? freshGrad(sumTo(matmulRaw(g, b, false, !transB, op), a.shape)) : null,
    needs[1] ? freshGrad(sumTo(transB ? matmulRaw(g, a, true, false, op) : matmulRaw(a, g, true, false, op), b.shape)) : null,
  ]);
}

/** torch.matmul: 1-D·1-D dot, 2-D·2-D product, 1-D operands promoted to matrices, batched broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  check("matmul", a, b);
  const aVec = a.dim() === 1, bVec = b.dim() === 1;
  if (aVec && bVec && a.shape[0] !== b.shape[0]) {
    throw new Error(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner sizes ${a.shape[0]} and ${b.shape[0]} differ`);
  }
  const A = aVec ? reshape(a, [1, a.shape[0]]) : a;
  const B = bVec ? reshape(b, [b.shape[0], 1]) : b;
  if (aVec && !bVec && B.shape[B.dim() - 2] !== a.shape[0]) {
    throw new Error(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner sizes ${a.shape[0]} and ${B.shape[B.dim() - 2]} differ`);
  }
  if (bVec && !aVec && A.shape[A.dim() - 1] !== b.shape[0]) {
    throw new Error(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner sizes ${A.shape[A.dim() - 1]} and ${b.shape[0]} differ`);
  }
  let out = matmulND(A, B);
  if (aVec || bVec) {
    const shape = out.shape.slice();
    if (bVec) shape.splice(shape.length - 1, 1);
    if (aVec) shape.splice(shape.length - (bVec ? 1 : 2), 1);
    out = reshape(out, shape);
  }
  return out;
}

export function mm(a: Tensor, b: Tensor): Tensor {
  check("mm", a, b);
  if (a.dim() !== 2 || b.dim() !== 2) throw new Error(`mm: expects 2-D matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  return matmulND(a, b, false, "mm");
}

export function mv(a: Tensor, v: Tensor): Tensor {
  check("mv", a, v);
  if (a.dim() !== 2 || v.dim() !== 1) throw new Error(`mv: expects a matrix and a vector, got shapes ${formatShape(a.shape)} and ${formatShape(v.shape)}`);
  return matmul(a, v);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  check("dot", a, b);
  if (a.dim() !== 1 || b.dim() !== 1) throw new Error(`dot: expects two 1-D tensors, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`dot: vectors of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ in length`);
  return matmul(a, b);
}
