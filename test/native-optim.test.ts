// The native optimizer steps (kernel-lib/dist/native/blas.node): plain float32 SGD is bit-identical to the
// TypeScript loop it replaces, Adam and AdamW bit-identical to the wasm kernel, on sizes with odd tails; misuse
// throws errors naming the step and the offending array; with the addon disabled the same optimizers run the
// fallbacks and give the same parameters.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nativeAdamF32, nativeSgdF32, setNativeBlasEnabled } from "../kernel-lib/src/backends/cpu/native";
import { wasmAdamStepPrecomputedF32 } from "../kernel-lib/src/backends/cpu/wasm/training";
import { torch } from "../kernel-lib/src";
import { f32Bits } from "./wasm-helpers";

const built = existsSync(join(__dirname, "..", "kernel-lib", "dist", "native", "blas.node")) && process.env.KERNEL_LIB_BLAS !== "off";
const SIZES = [1, 3, 4, 7, 1029];

function randomF32(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

const bits = f32Bits;

describe.runIf(built)("native optimizer steps", () => {
  it("SGD: p - lr·g rounded once, bit for bit the TypeScript loop's double-then-round", () => {
    for (const n of SIZES) {
      const p = randomF32(n, n), g = randomF32(n, n + 1, 3);
      const lr = Math.fround(0.01);
      const expected = p.map((x, i) => x - lr * g[i]); // Float32Array.map stores through fround: one rounding
      expect(nativeSgdF32(p, g, lr)).toBe(true);
      expect(bits(p), `n=${n}`).toEqual(bits(expected));
    }
  });

  it("Adam and AdamW: bit for bit the wasm kernel, moments included", () => {
    for (const n of SIZES) {
      for (const [weightDecay, shrink] of [[0, 1], [0.01, 1], [0, 1 - 1e-3 * 0.01]]) {
        const c = { oneMinusBeta1: 1 - 0.9, beta2: 0.999, oneMinusBeta2: 1 - 0.999, eps: 1e-8, weightDecay, shrink,
          stepSize: 1e-3 / (1 - 0.9 ** 3), bc2Sqrt: Math.sqrt(1 - 0.999 ** 3) };
        const make = () => [randomF32(n, 7 * n), randomF32(n, 7 * n + 1), randomF32(n, 7 * n + 2, 0.1), randomF32(n, 7 * n + 3, 0.01).map(Math.abs)];
        const [p1, g1, m1, v1] = make(), [p2, g2, m2, v2] = make();
        expect(wasmAdamStepPrecomputedF32(p1, g1, m1, v1, c)).toBe(true);
        const decoupled = shrink !== 1;
        expect(nativeAdamF32(p2, g2, m2, v2, { ...c, weightDecay: decoupled ? 1 : weightDecay, decoupled, decay: shrink })).toBe(true);
        const label = `n=${n} wd=${weightDecay} shrink=${shrink}`;
        expect(bits(p2), label).toEqual(bits(p1));
        expect(bits(m2), label).toEqual(bits(m1));
        expect(bits(v2), label).toEqual(bits(v1));
      }
    }
  });

  it("misuse throws errors naming the step and the array", () => {
    const p = new Float32Array(4);
    expect(() => nativeSgdF32(p, new Float32Array(3), 0.1)).toThrow(/native sgdStep: grad has 3 elements but param has 4/);
    expect(() => nativeSgdF32(p, p.subarray(1), 0.1)).toThrow(/grad has 3 elements/);
    expect(() => nativeSgdF32(p, p, 0.1)).toThrow(/native sgdStep: param and grad share memory/);
    expect(() => nativeSgdF32(p, new Float64Array(4) as unknown as Float32Array, 0.1)).toThrow(/native sgdStep: grad must be a Float32Array/);
    const c = { oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, eps: 1e-8, weightDecay: 0, decoupled: false, decay: 1, stepSize: 1e-3, bc2Sqrt: 1 };
    expect(() => nativeAdamF32(p, new Float32Array(4), new Float32Array(4), new Float32Array(5), c)).toThrow(/native adamStep: v has 5 elements but param has 4/);
    const shared = new Float32Array(8);
    expect(() => nativeAdamF32(p, new Float32Array(4), shared.subarray(0, 4), shared.subarray(2, 6), c)).toThrow(/must not share memory/);
  });

  it("optim.SGD, Adam and AdamW steps give the same parameters with the addon on and off", () => {
    // gradients set by hand, so only the step differs between the runs (a backward would also switch GEMMs)
    type Make = (ps: InstanceType<typeof torch.nn.Parameter>[]) => { step(): void };
    const run = (native: boolean, make: Make) => {
      const previous = setNativeBlasEnabled(native);
      try {
        torch.manualSeed(3);
        const ps = [new torch.nn.Parameter(torch.randn([37, 5])), new torch.nn.Parameter(torch.randn([5]))];
        const opt = make(ps);
        for (let i = 0; i < 4; i++) {
          for (const p of ps) p.grad = torch.randn(p.shape);
          opt.step();
        }
        return ps.map((p) => bits(new Float32Array(p.detach().flatten().tolist() as number[])));
      } finally {
        setNativeBlasEnabled(previous);
      }
    };
    const makers: Make[] = [
      (ps) => new torch.optim.SGD(ps, { lr: 0.1 }),
      (ps) => new torch.optim.Adam(ps, { lr: 0.01 }),
      (ps) => new torch.optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 }),
      (ps) => new torch.optim.AdamW(ps, { lr: 0.01, weightDecay: 0.1 }),
    ];
    for (const make of makers) expect(run(true, make)).toEqual(run(false, make));
  });
});
