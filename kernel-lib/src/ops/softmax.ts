import { record } from "../tensor/autograd";
import { normDim, numelOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, floatType } from "./core";
import { mul, sub } from "./elementwise";
import { maxDim, sum } from "./reduce";
import { exp, log } from "./unary";

function softmaxRaw(x: Tensor, dim: number, log: boolean, op: string): { out: Tensor; d: number } {
  if (!(x instanceof Tensor)) throw new Error(`${op}: expected a Tensor`);
  if (dim === undefined) throw new Error(`${op}: give the dim to normalize over, e.g. ${op}(x, 1) for rows of a [batch, classes] tensor`);
  const d = normDim(op, dim, x.dim());
  const src = x.dtype === floatType(x.dtype) ? x : x.to("float32");
  const out = alloc(x.shape, src.dtype, x.device);
  const outer = numelOf(x.shape.slice(0, d));
  const size = x.dim() === 0 ? 1 : x.shape[d];
  const inner = numelOf(x.shape.slice(d + 1));
  backendOf(x).softmax(src._data, outer, size, inner, out._data, log);
  return { out, d };
}

/** softmax(x, dim) computed stably (max subtracted). */
export function softmax(x: Tensor, dim: number): Tensor {
  const { out, d } = softmaxRaw(x, dim, false, "softmax");
  // dx = y * (g - sum(g * y))
  return record(out, "SoftmaxBackward", [x], (g) => [mul(out, sub(g, sum(mul(g, out), d, true)))], [out]);
}

/** logSoftmax(x, dim) = x - logsumexp(x, dim), computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const { out, d } = softmaxRaw(x, dim, true, "logSoftmax");
  // dx = g - softmax * sum(g)
  return record(out, "LogSoftmaxBackward", [x], (g) => [sub(g, mul(exp(out), sum(g, d, true)))], [out]);
}

/** log(sum(exp(x), dim)) computed stably. */
export function logsumexp(x: Tensor, dim: number, keepdim = false): Tensor {
  const d = normDim("logsumexp", dim, x.dim());
  const m = maxDim(x, d, true, "max").values.detach();
  const s = sum(exp(sub(x, m)), d, true);
  const out = log(s).add(m);
  return keepdim ? out : out.squeeze(d);
}
