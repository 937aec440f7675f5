import { describe, expect, it } from "vitest";
import type { Storage } from "../kernel-lib/src/backends/backend";
import { cpuBackend, cpuHostBackend } from "../kernel-lib/src/backends/cpu/index";
import { composedAdamStep, composedSgdStep } from "../kernel-lib/src/optim/composed-steps";
import { DType, TypedArray, allocate } from "../kernel-lib/src/tensor/dtype";

// The CPU backend's opaque storage is its TypedArray: these tests run both paths on the same arrays.
const handle = (a: TypedArray): Storage => a as unknown as Storage;
const handleOrNull = (a: TypedArray | null): Storage | null => (a ? handle(a) : null);

/**
 * The optimizer steps composed from elementwise primitives (used on a backend without fused steps) against the
 * CPU backend's fused loops: SGD bit for bit (the same roundings), Adam/AdamW within the wasm kernel's ulp.
 */
const n = 37;
function vals(seed: number, dtype: DType, f: (x: number) => number = (x) => x): TypedArray {
  const a = allocate(dtype, n);
  for (let i = 0; i < n; i++) a[i] = f(Math.sin(seed * 7.3 + i * 1.7) * 2);
  return a;
}

describe("composed optimizer steps agree with the fused ones", () => {
  for (const dtype of ["float32", "float64"] as DType[]) {
    const sgdCases = [
      { lr: 0.1, weightDecay: 0, momentum: 0, keep: 1, nesterov: false, sign: 1, first: false },
      { lr: 0.05, weightDecay: 0.01, momentum: 0.9, keep: 0.9, nesterov: false, sign: -1, first: false },
      { lr: 0.05, weightDecay: 0, momentum: 0.9, keep: 1, nesterov: true, sign: 1, first: true },
      { lr: 0.05, weightDecay: 0.1, momentum: 0.8, keep: 1, nesterov: true, sign: 1, first: false },
    ];
    sgdCases.forEach((args, c) => {
      it(`SGD ${dtype} case ${c}: bit for bit`, () => {
        const [p1, p2] = [vals(1, dtype), vals(1, dtype)];
        const g = vals(2, dtype);
        const [b1, b2] = args.momentum ? [vals(3, dtype), vals(3, dtype)] : [null, null];
        cpuHostBackend.sgdStep!(p1, g, b1, args);
        composedSgdStep(cpuBackend, dtype, n, handle(p2), handle(g), handleOrNull(b2), args);
        expect(Array.from(p2)).toEqual(Array.from(p1));
        if (b1 && b2) expect(Array.from(b2)).toEqual(Array.from(b1));
      });
    });
    for (const [label, amsgrad, weightDecay, shrink, sign] of [
      ["Adam", false, 0, 1, 1], ["Adam L2 + amsgrad + maximize", true, 0.01, 1, -1], ["AdamW", false, 0, 1 - 1e-3 * 0.01, 1],
    ] as const) {
      it(`${label} ${dtype}: within float32 rounding`, () => {
        const step = 4, beta1 = 0.9, beta2 = 0.999, lr = 1e-3;
        const args = { beta1, beta2, stepSize: lr / (1 - beta1 ** step), bc2Sqrt: Math.sqrt(1 - beta2 ** step), eps: 1e-8, weightDecay, shrink, sign };
        const p = [vals(1, dtype), vals(1, dtype)], g = vals(2, dtype);
        const m = [vals(3, dtype, (x) => x * 0.1), vals(3, dtype, (x) => x * 0.1)];
        const v = [vals(4, dtype, (x) => x * x * 0.01), vals(4, dtype, (x) => x * x * 0.01)];
        const vmax = amsgrad ? [vals(5, dtype, (x) => x * x * 0.02), vals(5, dtype, (x) => x * x * 0.02)] : [null, null];
        cpuHostBackend.adamStep!(p[0], g, m[0], v[0], vmax[0], args);
        composedAdamStep(cpuBackend, dtype, n, handle(p[1]), handle(g), handle(m[1]), handle(v[1]), handleOrNull(vmax[1]), args);
        const tol = dtype === "float32" ? 2e-7 : 1e-15;
        for (const [a, b] of [[p[0], p[1]], [m[0], m[1]], [v[0], v[1]]]) {
          for (let i = 0; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(a[i])));
        }
      });
    }
  }
});
