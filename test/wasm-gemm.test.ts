import { afterAll, describe, expect, it } from "vitest";
import { setWasmMode, wasmGemmF32, wasmLinearF32, wasmKernelInfo } from "../kernel-lib/src/backends/cpu/wasm/index";
import { checkGemmAll, EPS32, filled, refGemm, relaxedFlagWorks, RELAXED_FLAG, runChild, worstRatio } from "./wasm-helpers";

// [m, k, n]: single elements, partial register tiles, k across several cache blocks (KC = 256), m below and above
// the in-place-B threshold (24) and the row block (MC = 96), and empty products.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [3, 5, 2], [4, 8, 16], [5, 7, 9], [13, 300, 19], [23, 40, 33], [24, 40, 33], [97, 513, 70], [6, 0, 5], [0, 3, 4],
  // the small-side kernels (wasm/gemm-small.ts): 3x3 and 4x8 blocks with every edge, k tails of a 4-lane slice,
  // the largest sides they take (16) and one past it, and the lecture MLP's first layer at batch 12 (fwd, weight grad)
  [2, 1, 3], [6, 16, 64], [7, 17, 65], [11, 33, 127], [16, 15, 4], [16, 129, 200], [17, 16, 31], [300, 3, 70], [40, 16, 17],
  [12, 784, 512], [512, 12, 784],
  // the dot form with few columns: a batch of 256 against a 10-class output layer, and 7 or 17 columns
  [256, 256, 10], [41, 33, 7], [40, 20, 17],
];
/** Runs every shape/transpose/accumulate case through wasmGemmF32 at non-zero offsets and checks it. */
function checkAll(): void {
  checkGemmAll(wasmGemmF32, SHAPES, (ok, label) => expect(ok, label).toBe(true));
}

describe("wasmGemmF32", () => {
  afterAll(() => { setWasmMode("auto"); });

  it("plain SIMD kernel matches a float64 reference on every transpose form", () => {
    expect(setWasmMode("simd")).toBe("simd");
    checkAll();
  });

  it("TypeScript fallback matches the same reference", () => {
    expect(setWasmMode("off")).toBe("off");
    expect(wasmKernelInfo().mode).toBe("off");
    checkAll();
  });

  it("relaxed-SIMD (FMA) kernel matches the reference in a Node with relaxed SIMD", () => {
    expect(relaxedFlagWorks()).toBe(true);
    const script = `
      wasm.setWasmMode("relaxed-simd");
      ${filled.toString()}
      const out = [];
      for (const [m, k, n, tA, tB] of ${JSON.stringify([[97, 513, 70, false, false], [13, 300, 19, false, true], [23, 40, 33, true, false], [5, 7, 9, true, true], [12, 787, 70, false, true], [300, 12, 77, true, false], [12, 301, 67, false, false]])}) {
        const a = filled(m * k, 11), b = filled(k * n, 12), c = new Float32Array(m * n);
        wasm.wasmGemmF32(tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
        out.push(Array.from(c));
      }
      console.log(JSON.stringify({ mode: wasm.wasmKernelInfo().mode, out }));`;
    const r = runChild([RELAXED_FLAG], script);
    expect(r.status, r.stderr).toBe(0);
    const { mode, out } = r.json as { mode: string; out: number[][] };
    expect(mode).toBe("relaxed-simd");
    const cases: Array<[number, number, number, boolean, boolean]> = [[97, 513, 70, false, false], [13, 300, 19, false, true], [23, 40, 33, true, false], [5, 7, 9, true, true], [12, 787, 70, false, true], [300, 12, 77, true, false], [12, 301, 67, false, false]];
    cases.forEach(([m, k, n, tA, tB], idx) => {
      const { c: want, mag } = refGemm(tA, tB, m, n, k, filled(m * k, 11), 0, filled(k * n, 12), 0);
      expect(worstRatio(out[idx], want, (i) => (k + 2) * EPS32 * mag[i] + 1e-30), `case ${idx}`).toBeLessThanOrEqual(1);
    });
  });

  it("throws naming the operation and the sizes on misuse", () => {
    setWasmMode("simd");
    const a = new Float32Array(6), b = new Float32Array(6), c = new Float32Array(4);
    expect(() => wasmGemmF32(false, false, 2, 2, 3, a, 1, b, 0, c, 0, false)).toThrow(/wasmGemmF32: a needs 6 elements \(\[2,3\]\) from offset 1, but has length 6/);
    expect(() => wasmGemmF32(false, true, 2, 3, 3, a, 0, b, 0, c, 0, false)).toThrow(/wasmGemmF32: b needs 9 elements \(stored \[3,3\], transposed\)/);
    expect(() => wasmGemmF32(false, false, 2, 2, -1, a, 0, b, 0, c, 0, false)).toThrow(/wasmGemmF32: k must be a non-negative integer, got -1/);
    expect(() => wasmGemmF32(false, false, 1, 1, 1, new Float64Array(1) as unknown as Float32Array, 0, b, 0, c, 0, false)).toThrow(/a must be a Float32Array/);
  });
});

describe("wasmLinearF32 (fused bias + ReLU)", () => {
  afterAll(() => { setWasmMode("auto"); });
  for (const mode of ["simd", "off"] as const) {
    it(`computes relu(x·wᵀ + b) in one pass (${mode})`, () => {
      setWasmMode(mode);
      for (const [batch, inF, outF] of [[7, 30, 13], [256, 784, 10], [30, 9, 40], [12, 784, 203], [1, 5, 3]]) {
        for (const relu of [false, true]) {
          for (const withBias of [false, true]) {
            const x = filled(batch * inF, 1), w = filled(outF * inF, 2), bias = withBias ? filled(outF, 3) : null;
            const out = new Float32Array(batch * outF);
            wasmLinearF32(x, w, bias, out, batch, inF, outF, relu);
            const { c, mag } = refGemm(false, true, batch, outF, inF, x, 0, w, 0);
            const want = Array.from(c, (v, i) => {
              const z = v + (bias ? bias[i % outF] : 0);
              return relu ? Math.max(z, 0) : z;
            });
            const allowed = (i: number): number => (inF + 3) * EPS32 * (mag[i] + (bias ? Math.abs(bias[i % outF]) : 0)) + 1e-30;
            expect(worstRatio(out, want, allowed), `${batch}x${inF}x${outF} relu=${relu} bias=${withBias}`).toBeLessThanOrEqual(1);
            if (relu) expect(out.every((v) => v >= 0)).toBe(true);
          }
        }
      }
      expect(() => wasmLinearF32(new Float32Array(6), new Float32Array(6), new Float32Array(2), new Float32Array(6), 2, 3, 2, false))
        .toThrow(/wasmLinearF32: out must have 4 elements for shape \[2,2\], got 6/);
    });
  }
});
