import { record } from "../tensor/autograd";
import type { TypedArray } from "../tensor/dtype";
import { formatShape, normDim, numelOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { backendOf } from "./core";
import { checkIndex } from "./index";

/**
 * x.scatter(dim, index, src | value), PyTorch's: a copy of x with out[..., index[p], ...] = src[p] along dim for
 * every position p of index (index has x's rank, no larger than x outside dim and than src anywhere).
 * Differentiable w.r.t. x (zero where written) and src (the gradient gathered at index). Written on the host:
 * scatter is rare in the course (one-hot targets), so it has no kernel of its own.
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, op = "scatter"): Tensor {
  const d = normDim(op, dim, x.dim());
  if (!(index instanceof Tensor)) throw new Error(`${op}: index must be an int32 Tensor, got ${typeof index}`);
  const isTensor = src instanceof Tensor;
  if (!isTensor && typeof src !== "number") throw new Error(`${op}: src must be a Tensor or a number, got ${typeof src}`);
  if (isTensor && src.dtype !== x.dtype) {
    throw new Error(`${op}: src has dtype ${src.dtype} but the tensor is ${x.dtype}; they must match (convert with src.to("${x.dtype}"))`);
  }
  const xShape = x.dim() === 0 ? [1] : x.shape;
  const iShape = index.dim() === 0 ? [1] : index.shape;
  const fits =
    index.dim() === x.dim() &&
    iShape.every((s, i) => (i === d || s <= xShape[i]) && (!isTensor || s <= (src.dim() === 0 ? 1 : src.shape[i])));
  if (!fits || (isTensor && src.dim() !== x.dim())) {
    throw new Error(
      `${op}: index of shape ${formatShape(index.shape)} must have the rank of the tensor ${formatShape(x.shape)}, be no larger ` +
        `than it outside dim ${d}` + (isTensor ? ` and no larger than src ${formatShape(src.shape)} in any dim` : ""),
    );
  }
  const idx = backendOf(index).readSync(checkIndex(op, index, xShape[d], `dim ${d} of a tensor of shape ${formatShape(x.shape)}`)._data);
  const sShape = isTensor ? (src.dim() === 0 ? [1] : src.shape) : iShape;
  // for each position p of index: the flat offset it writes in x and the one it reads in src
  const n = numelOf(iShape);
  const target = new Int32Array(n);
  const source = new Int32Array(n);
  const pos = iShape.map(() => 0);
  for (let p = 0; p < n; p++) {
    let t = 0;
    let s = 0;
    for (let k = 0; k < iShape.length; k++) {
      t = t * xShape[k] + (k === d ? idx[p] : pos[k]);
      s = s * sShape[k] + pos[k];
    }
    target[p] = t;
    source[p] = s;
    for (let k = iShape.length - 1; k >= 0 && ++pos[k] === iShape[k]; k--) pos[k] = 0;
  }
  const be = backendOf(x);
  const out = be.readSync(x._data).slice();
  const srcData = isTensor ? backendOf(src).readSync(src._data) : null;
  for (let p = 0; p < n; p++) out[target[p]] = srcData ? srcData[source[p]] : (src as number);
  const result = new Tensor(be.upload(out), x.shape, x.dtype, x.device);
  const inputs = isTensor ? [x, src] : [x];
  return record(result, "ScatterBackward", inputs, (g, needs) => {
    const gb = backendOf(g);
    const gData = gb.readSync(g._data);
    let gx: Tensor | null = null;
    if (needs[0]) {
      const gxData = gData.slice();
      for (let p = 0; p < n; p++) gxData[target[p]] = 0;
      gx = new Tensor(gb.upload(gxData), x.shape, g.dtype, g.device);
    }
    let gs: Tensor | null = null;
    if (isTensor && needs[1]) {
      const gsData = new (gData.constructor as new (n: number) => TypedArray)(numelOf(sShape));
      for (let p = 0; p < n; p++) gsData[source[p]] = gData[target[p]];
      gs = new Tensor(gb.upload(gsData), src.shape, g.dtype, g.device);
    }
    return [gx, gs];
  }, []);
}
