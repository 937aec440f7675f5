import { freshGrad, record } from "../tensor/autograd";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf } from "./core";
import { matmulRaw } from "./matmul";

/**
 * linear(x, W, b) for 2-D inputs on the backend's fused `linear` (the CPU backend: float32 on the native or wasm
 * GEMM, the bias added after the product), with one node for the backward (grad_x = g·W, grad_W = gᵀ·x,
 * grad_b = Σ rows of g) instead of a matmul node plus a broadcast-add node. Returns null where the backend has
 * no fused kernel for these tensors (the caller composes matmul and add); shapes are checked by the caller.
 */
export function fusedLinear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor | null {
  const be = backendOf(x);
  if (!be.linear || x.dim() !== 2 || x.dtype !== weight.dtype || x.device !== weight.device) return null;
  if (bias && (bias.dtype !== x.dtype || bias.device !== x.device)) return null;
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  if (batch === 0 || inFeatures === 0 || outFeatures === 0) return null;
  const out = alloc([batch, outFeatures], x.dtype, x.device);
  if (!be.linear(x._data, weight._data, bias ? bias._data : null, out._data, batch, inFeatures, outFeatures)) return null;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(out, "LinearBackward", inputs, (g, needs) => {
    let gb: Tensor | null = null;
    if (needs[2]) {
      gb = alloc([outFeatures], g.dtype, x.device);
      if (!be.sumRows?.(g._data, gb._data, batch, outFeatures)) be.reduce("sum", g._data, 1, batch, outFeatures, gb._data);
    }
    return [
      needs[0] ? freshGrad(matmulRaw(g, weight, false, false, "linear")) : null,
      needs[1] ? freshGrad(matmulRaw(g, x, true, false, "linear")) : null,
      gb ? freshGrad(gb) : null,
    ];
  }, [x, weight]);
}
