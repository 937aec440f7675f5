import { isGradEnabled, record } from "../tensor/autograd";
import { isFloating, promoteTypes } from "../tensor/dtype";
import { defaultGenerator } from "../tensor/random";
import { broadcastShapes, broadcastStrides, formatShape, sameShape } from "../tensor/shape";
import { Scalar, Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, toTensorPair } from "./core";
import { mul } from "./elementwise";
import { BINARY, BinaryOp } from "./defs/index";

/** In-place changes to a leaf that requires grad (or a view of one) are only allowed inside noGrad. */
export function checkInplace(op: string, t: Tensor): void {
  if (!isGradEnabled()) return;
  const leaf = t.requiresGrad && t.isLeaf ? t : t._base && t._base.requiresGrad && t._base.isLeaf ? t._base : null;
  if (leaf) {
    throw new Error(
      `${op}: a leaf tensor that requires grad (shape ${formatShape(leaf.shape)})${leaf === t ? "" : " (through a view of it)"} ` +
        `cannot be changed in place while gradients are recorded; do the update inside torch.noGrad(() => { ... }) ` +
        `(as optimizers and d2l.sgd do), or use an out-of-place op such as x.add(y).`,
    );
  }
  if (t._base && t.requiresGrad) {
    throw new Error(`${op}: in-place ops on a view of a tensor that is part of an autograd graph are not supported; use an out-of-place op.`);
  }
}

function checkCast(op: string, t: Tensor, resultDtype: string): void {
  if (!isFloating(t.dtype) && isFloating(resultDtype as Tensor["dtype"])) {
    throw new Error(`${op}: the result is ${resultDtype} and cannot be written into a ${t.dtype} tensor in place; convert first (x = x.float())`);
  }
}

/** Writes the out-of-place result into t's storage; the graph (if any) continues from the result's node. */
export function inplace<T extends Tensor>(t: T, op: string, compute: () => Tensor): T {
  checkInplace(op, t);
  const r = compute();
  if (!sameShape(r.shape, t.shape)) {
    throw new Error(`${op}: the result of shape ${formatShape(r.shape)} does not fit the tensor of shape ${formatShape(t.shape)} (in-place ops cannot grow the destination)`);
  }
  checkCast(op, t, r.dtype);
  backendOf(t).copy(r._data, 0, t._data, 0, t.numel());
  t._version.v++;
  if (r.gradFn) {
    t.gradFn = r.gradFn;
    t._requiresGrad = true;
  }
  return t;
}

/**
 * add_/sub_/mul_/div_: when no graph is recorded the kernel writes straight into t's storage (the optimizer
 * hot path allocates nothing but the 0-d scalar); otherwise it goes through `inplace`.
 */
export function binaryInplace<T extends Tensor>(
  t: T, op: string, kernel: BinaryOp, other: Scalar, compute: () => Tensor,
): T {
  const [a, b] = toTensorPair(op, t, other);
  const tracking = isGradEnabled() && (t.requiresGrad || b.requiresGrad);
  const dtype = kernel === "div" && !isFloating(promoteTypes(a.dtype, b.dtype)) ? "float32" : promoteTypes(a.dtype, b.dtype);
  if (tracking || dtype !== t.dtype) return inplace(t, op, compute);
  checkInplace(op, t);
  const shape = broadcastShapes(op, t.shape, b.shape);
  if (!sameShape(shape, t.shape)) {
    throw new Error(`${op}: the result of shape ${formatShape(shape)} does not fit the tensor of shape ${formatShape(t.shape)} (in-place ops cannot grow the destination)`);
  }
  backendOf(t).binary(BINARY[kernel], t._data, b._data, t._data, { shape, strides: [broadcastStrides(t.shape, shape), broadcastStrides(b.shape, shape)] });
  t._version.v++;
  return t;
}

/** Overwrites every element (fill_, zero_, normal_, uniform_); in a graph, the old history no longer matters. */
function overwrite<T extends Tensor>(t: T, op: string, write: () => void): T {
  checkInplace(op, t);
  write();
  t._version.v++;
  if (isGradEnabled() && t.gradFn) {
    record(t, `${op}Backward`, [t], (g) => [alloc(g.shape, g.dtype, g.device)], []);
  }
  return t;
}

export function fill<T extends Tensor>(t: T, op: string, value: number): T {
  if (typeof value !== "number") throw new Error(`${op}: value must be a number, got ${typeof value}`);
  return overwrite(t, op, () => backendOf(t).fill(t._data, value));
}

export function random<T extends Tensor>(t: T, op: string, kind: "normal" | "uniform", a: number, b: number): T {
  if (!isFloating(t.dtype)) throw new Error(`${op}: needs a floating-point tensor, got ${t.dtype}`);
  if (kind === "normal" && !(b >= 0)) throw new Error(`${op}: std must be non-negative, got ${b}`);
  if (kind === "uniform" && !(a <= b)) throw new Error(`${op}: low (${a}) must not exceed high (${b})`);
  return overwrite(t, op, () => (kind === "normal" ? backendOf(t).normal(t._data, a, b, defaultGenerator) : backendOf(t).uniform(t._data, a, b, defaultGenerator)));
}

/** t += g for gradient accumulation (no checks, no graph). */
export function addRaw(t: Tensor, g: Tensor): void {
  const src = g.dtype === t.dtype ? g : alloc(g.shape, t.dtype, g.device);
  if (src !== g) backendOf(g).copy(g._data, 0, src._data, 0, g.numel());
  backendOf(t).binary(BINARY.add, t._data, src._data, t._data, { shape: t.shape, strides: [broadcastStrides(t.shape, t.shape), broadcastStrides(src.shape, t.shape)] });
  t._version.v++;
}

/** other * alpha (alpha defaults to 1), for add_/sub_ with { alpha }. */
export function scaled(other: Scalar, alpha?: number): Scalar {
  if (alpha === undefined || alpha === 1) return other;
  if (typeof other === "number") return other * alpha;
  return mul(other, alpha);
}
