import { linearF32 } from "../backends/cpu/gemm";
import { wasmSumRowsF32 } from "../backends/cpu/wasm/index";
import { getRuntime } from "../backends/cpu/wasm/runtime";
import { freshGrad, record } from "../tensor/autograd";
import { Tensor } from "../tensor/tensor-class";
import { alloc } from "./core";
import { matmulRaw } from "./matmul";

/**
 * linear(x, W, b) for 2-D float32 CPU tensors on the native or wasm GEMM: the bias is added after the product,
 * and one node does the backward (grad_x = g·W, grad_W = gᵀ·x, grad_b = Σ rows of g) instead of a matmul node
 * plus a broadcast-add node. Returns null where it does not apply (the caller composes matmul and add);
 * shapes are checked by the caller.
 */
export function fusedLinear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor | null {
  if (x.dim() !== 2 || x.dtype !== "float32" || weight.dtype !== "float32" || x.device !== "cpu" || weight.device !== "cpu") return null;
  if (bias && (bias.dtype !== "float32" || bias.device !== "cpu")) return null;
  if (getRuntime() === null) return null;
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  if (batch === 0 || inFeatures === 0 || outFeatures === 0) return null;
  const out = alloc([batch, outFeatures], "float32", x.device);
  linearF32(x._data as Float32Array, weight._data as Float32Array, bias ? (bias._data as Float32Array) : null,
    out._data as Float32Array, batch, inFeatures, outFeatures, false);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(out, "LinearBackward", inputs, (g, needs) => {
    let gb: Tensor | null = null;
    if (needs[2]) {
      gb = alloc([outFeatures], "float32", x.device);
      wasmSumRowsF32(g._data as Float32Array, gb._data as Float32Array, batch, outFeatures);
    }
    return [
      needs[0] ? freshGrad(matmulRaw(g, weight, false, false, "linear")) : null,
      needs[1] ? freshGrad(matmulRaw(g, x, true, false, "linear")) : null,
      gb ? freshGrad(gb) : null,
    ];
  }, [x, weight]);
}
