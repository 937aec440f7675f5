import { afterAll, describe, expect, it } from "vitest";
import {
  setWasmMode, wasmAdamStepF32, wasmAddBiasF32, wasmReluBackwardF32, wasmReluF32, wasmSgdStepF32,
  wasmSoftmaxCrossEntropyF32, wasmSumRowsF32,
} from "../kernel-lib/src/backends/cpu/wasm/index";
import { EPS32, filled } from "./wasm-helpers";

const MODES = ["simd", "off"] as const;

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, abs: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= abs + rel * Math.abs(want[i]))) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (err ${err})`);
  }
}

afterAll(() => { setWasmMode("auto"); });

for (const mode of MODES) {
  describe(`fused kernels (${mode})`, () => {
    it("softmax cross-entropy forward and backward match float64", () => {
      setWasmMode(mode);
      for (const [rows, cols] of [[1, 1], [3, 10], [256, 10], [5, 13], [2, 4]]) {
        const logits = filled(rows * cols, rows + cols).map((v) => v * 20); // spread up to ±20 exercises the max shift
        const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7) % cols);
        const losses = new Float32Array(rows), grad = new Float32Array(rows * cols);
        const total = wasmSoftmaxCrossEntropyF32(logits, labels, rows, cols, losses, grad, 1 / rows);
        const wantLoss: number[] = [], wantGrad: number[] = [];
        for (let r = 0; r < rows; r++) {
          const x = Array.from(logits.subarray(r * cols, (r + 1) * cols));
          const mx = Math.max(...x), s = x.reduce((acc, v) => acc + Math.exp(v - mx), 0);
          wantLoss.push(mx + Math.log(s) - x[labels[r]]);
          x.forEach((v, j) => wantGrad.push((Math.exp(v - mx) / s - (j === labels[r] ? 1 : 0)) / rows));
        }
        // exp is a degree-5 polynomial good to a few ulp; sums over cols add cols·u.
        expectClose(losses, wantLoss, (cols + 8) * EPS32, (cols + 8) * EPS32 * 20, `losses ${rows}x${cols}`);
        expectClose(grad, wantGrad, (cols + 8) * EPS32, (cols + 8) * EPS32 / rows, `grad ${rows}x${cols}`);
        expect(Math.abs(total - wantLoss.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(rows * (cols + 8) * EPS32 * 20);
        // forward only, and grad written over the logits
        const again = wasmSoftmaxCrossEntropyF32(logits, labels, rows, cols, null, null, 1);
        expect(again).toBeCloseTo(total, 4);
        const inPlace = logits.slice();
        wasmSoftmaxCrossEntropyF32(inPlace, labels, rows, cols, null, inPlace, 1 / rows);
        expect(Array.from(inPlace)).toEqual(Array.from(grad));
      }
      expect(() => wasmSoftmaxCrossEntropyF32(new Float32Array(6), Int32Array.from([1, 3]), 2, 3, null, null, 1))
        .toThrow(/wasmSoftmaxCrossEntropyF32: label 3 at row 1 is out of range for 3 classes/);
      expect(() => wasmSoftmaxCrossEntropyF32(new Float32Array(6), Int32Array.from([1]), 2, 3, null, null, 1))
        .toThrow(/labels has 1 elements, expected 2/);
    });

    it("SGD steps (momentum, nesterov, weight decay) follow PyTorch's update", () => {
      setWasmMode(mode);
      const n = 37;
      for (const cfg of [
        { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false },
        { lr: 0.05, momentum: 0.9, weightDecay: 1e-2, nesterov: false },
        { lr: 0.05, momentum: 0.9, weightDecay: 0, nesterov: true },
      ]) {
        const p = filled(n, 1), buf = new Float32Array(n);
        const pRef = Float64Array.from(p), bufRef = new Float64Array(n);
        for (let step = 0; step < 4; step++) {
          const g = filled(n, 10 + step), gCopy = g.slice();
          wasmSgdStepF32(p, g, cfg.momentum ? buf : null, { ...cfg, firstStep: step === 0 });
          expect(Array.from(g), "grad untouched").toEqual(Array.from(gCopy));
          for (let i = 0; i < n; i++) {
            let d = g[i] + cfg.weightDecay * pRef[i];
            if (cfg.momentum) {
              bufRef[i] = step === 0 ? d : cfg.momentum * bufRef[i] + d;
              d = cfg.nesterov ? d + cfg.momentum * bufRef[i] : bufRef[i];
            }
            pRef[i] -= cfg.lr * d;
          }
        }
        expectClose(p, pRef, 16 * EPS32, 16 * EPS32, `sgd params ${JSON.stringify(cfg)}`);
        if (cfg.momentum) expectClose(buf, bufRef, 16 * EPS32, 16 * EPS32, "sgd buffer");
      }
      expect(() => wasmSgdStepF32(new Float32Array(3), new Float32Array(2), null, { lr: 1, momentum: 0, weightDecay: 0, nesterov: false, firstStep: true }))
        .toThrow(/wasmSgdStepF32: param has 3, grad has 2 elements/);
    });

    it("Adam and AdamW steps follow PyTorch's update with bias corrections", () => {
      setWasmMode(mode);
      const n = 41;
      for (const cfg of [
        { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
        { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false },
        { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
      ]) {
        const p = filled(n, 2), m = new Float32Array(n), v = new Float32Array(n);
        const pR = Float64Array.from(p), mR = new Float64Array(n), vR = new Float64Array(n);
        for (let step = 1; step <= 5; step++) {
          const g = filled(n, 20 + step);
          wasmAdamStepF32(p, g, m, v, { ...cfg, step });
          const bc1 = 1 - cfg.beta1 ** step, bc2 = 1 - cfg.beta2 ** step;
          for (let i = 0; i < n; i++) {
            let gi = g[i];
            if (cfg.decoupled) pR[i] *= 1 - cfg.lr * cfg.weightDecay;
            else gi += cfg.weightDecay * pR[i];
            mR[i] = cfg.beta1 * mR[i] + (1 - cfg.beta1) * gi;
            vR[i] = cfg.beta2 * vR[i] + (1 - cfg.beta2) * gi * gi;
            pR[i] -= (cfg.lr / bc1) * mR[i] / (Math.sqrt(vR[i]) / Math.sqrt(bc2) + cfg.eps);
          }
        }
        // m: ~6 roundings of quantities up to max|g| = 1 per step, over 5 steps, and m may cancel towards 0,
        // so the bound is absolute: 32u. v sums positive terms: relative 32u. p: u|p| per step plus the step
        // (size ~lr) whose ratio m/sqrt(v) inherits m's absolute error over sqrt(v) >= ~0.05: 5 steps x lr x 1000u.
        expectClose(m, mR, 0, 32 * EPS32, `adam m ${JSON.stringify(cfg)}`);
        expectClose(v, vR, 32 * EPS32, 1e-12, `adam v ${JSON.stringify(cfg)}`);
        expectClose(p, pR, 8 * EPS32, 5 * cfg.lr * 1000 * EPS32, `adam p ${JSON.stringify(cfg)}`);
      }
      expect(() => wasmAdamStepF32(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2),
        { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weightDecay: 0, decoupled: false, step: 0 })).toThrow(/step must be an integer >= 1, got 0/);
    });

    it("ReLU forward/backward, bias add and row sums", () => {
      setWasmMode(mode);
      const rows = 9, cols = 13;
      const x = filled(rows * cols, 3);
      x[0] = 0; x[1] = -0;
      const out = new Float32Array(x.length);
      wasmReluF32(x, out);
      expect(Array.from(out)).toEqual(Array.from(x, (v) => (v > 0 ? v : 0)));
      const gy = filled(x.length, 4), gx = new Float32Array(x.length);
      wasmReluBackwardF32(gy, x, gx);
      expect(Array.from(gx)).toEqual(Array.from(x, (v, i) => (v > 0 ? gy[i] : 0))); // derivative at 0 is 0
      const bias = filled(cols, 5), withBias = new Float32Array(x.length);
      wasmAddBiasF32(x, bias, withBias, rows, cols);
      expect(Array.from(withBias)).toEqual(Array.from(x, (v, i) => Math.fround(v + bias[i % cols])));
      const sums = new Float32Array(cols);
      wasmSumRowsF32(x, sums, rows, cols);
      const want = Array.from({ length: cols }, (_, j) => { let s = 0; for (let r = 0; r < rows; r++) s = Math.fround(s + x[r * cols + j]); return s; });
      expect(Array.from(sums)).toEqual(want); // same row order, same float32 roundings
      expect(() => wasmAddBiasF32(x, new Float32Array(3), withBias, rows, cols)).toThrow(/wasmAddBiasF32: bias has 3 elements, expected \[13\] for x \[9,13\]/);
    });
  });
}
