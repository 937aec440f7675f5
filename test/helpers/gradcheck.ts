import { expect } from "vitest";
import { torch } from "../../kernel-lib/src/index";
import { Tensor } from "../../kernel-lib/src/tensor/tensor";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** A float64 leaf requiring grad with deterministic values from `seed` (uniform in [lo, hi)). */
export function input(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  torch.manualSeed(seed);
  return torch.rand(shape, { dtype: "float64" }).mul(hi - lo).add(lo).requiresGrad_();
}

/**
 * Central finite differences in float64 against autograd. The output is contracted with fixed random
 * weights so the incoming gradient is not all ones (which would hide transposition and broadcast bugs).
 */
export function gradcheck(name: string, fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): void {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-4;
  for (const x of inputs) {
    if (x.dtype !== "float64") throw new Error(`gradcheck(${name}): inputs must be float64`);
    x.grad = null;
  }
  const probe = fn(...inputs);
  torch.manualSeed(1234);
  const weights = torch.rand(probe.shape, { dtype: "float64" }).add(0.5);
  // each perturbed input is a new tensor built from a host copy (never a write into the storage dataSync
  // returned, which on a backend other than the CPU is a copy)
  const scalar = (xs: Tensor[]): number => torch.noGrad(() => fn(...xs).mul(weights).sum().item());
  probe.mul(weights).sum().backward();
  inputs.forEach((x, k) => {
    const data = Float64Array.from(x.dataSync());
    const analytic = x.grad ? x.grad.dataSync() : new Float64Array(data.length);
    const perturbed = (i: number, delta: number): Tensor[] => {
      const moved = Float64Array.from(data);
      moved[i] += delta;
      return inputs.map((y, j) => (j === k ? Tensor.fromTypedArray(moved, x.shape, "float64") : y));
    };
    for (let i = 0; i < data.length; i++) {
      const fPlus = scalar(perturbed(i, eps));
      const fMinus = scalar(perturbed(i, -eps));
      const numeric = (fPlus - fMinus) / (2 * eps);
      const ok = Math.abs(numeric - analytic[i]) <= atol + rtol * Math.abs(numeric);
      if (!ok) {
        expect.fail(`gradcheck(${name}): input ${k} element ${i}: autograd ${analytic[i]} vs finite difference ${numeric}`);
      }
    }
  });
}
