import { describe, expect, it } from "vitest";
import { noisyXor, syntheticData, xorData } from "../kernel-lib/src/datasets/index";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { Generator, defaultGenerator } from "../kernel-lib/src/tensor/random";

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

describe("XOR data", () => {
  it("xorData gives the four corners with XOR labels, float [4,1] by default", () => {
    const [X, y] = xorData();
    expect(X.shape).toEqual([4, 2]);
    expect(X.dtype).toBe("float32");
    expect(X.tolist()).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(y.shape).toEqual([4, 1]);
    expect(y.dtype).toBe("float32");
    expect(y.tolist()).toEqual([[0], [1], [1], [0]]);
  });

  it("xorData with int32 labels for cross-entropy", () => {
    const [, y] = xorData({ labelDtype: "int32" });
    expect(y.shape).toEqual([4]);
    expect(y.dtype).toBe("int32");
    expect(y.tolist()).toEqual([0, 1, 1, 0]);
  });

  it("noisyXor clusters n points around the corners, balanced and seeded", () => {
    const [X, y] = noisyXor(400, { noise: 0.1, seed: 7 });
    expect(X.shape).toEqual([400, 2]);
    expect(y.shape).toEqual([400, 1]);
    const x = X.dataSync();
    const labels = y.dataSync();
    const corners = [[0, 0], [0, 1], [1, 0], [1, 1]];
    for (let c = 0; c < 4; c++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = c; i < 400; i += 4) {
        xs.push(x[2 * i]);
        ys.push(x[2 * i + 1]);
        expect(labels[i]).toBe(corners[c][0] ^ corners[c][1]);
        expect(Math.hypot(x[2 * i] - corners[c][0], x[2 * i + 1] - corners[c][1])).toBeLessThan(0.6);
      }
      expect(mean(xs)).toBeCloseTo(corners[c][0], 1);
      expect(mean(ys)).toBeCloseTo(corners[c][1], 1);
    }
    expect(mean(labels)).toBe(0.5);
    // the same seed gives the same points; another seed does not
    expect(Array.from(noisyXor(400, { noise: 0.1, seed: 7 })[0].dataSync())).toEqual(Array.from(x));
    expect(Array.from(noisyXor(400, { noise: 0.1, seed: 8 })[0].dataSync())).not.toEqual(Array.from(x));
    // the noise is the seeded generator's normals, scaled
    const gen = new Generator(7);
    expect(x[0]).toBeCloseTo(0 + 0.1 * gen.normal(), 6);
    expect(x[1]).toBeCloseTo(0 + 0.1 * gen.normal(), 6);
  });

  it("noisyXor without a seed draws from the global generator (torch.manualSeed)", () => {
    defaultGenerator.manualSeed(3);
    const a = noisyXor(8, { labelDtype: "int32" });
    defaultGenerator.manualSeed(3);
    const b = noisyXor(8, { labelDtype: "int32" });
    expect(Array.from(a[0].dataSync())).toEqual(Array.from(b[0].dataSync()));
    expect(a[1].dtype).toBe("int32");
    expect(a[1].tolist()).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it("rejects bad arguments with the offending value", () => {
    expect(() => noisyXor(0)).toThrow(/noisyXor: n must be a positive integer, got 0/);
    expect(() => noisyXor(4, { noise: -1 })).toThrow(/noisyXor: noise must be a finite number >= 0, got -1/);
    expect(() => xorData({ labelDtype: "float64" as "float32" })).toThrow(/xorData: labelDtype must be "float32" or "int32", got "float64"/);
  });
});

describe("syntheticData (d2l.synthetic_data)", () => {
  it("draws X ~ N(0,1) then y = Xw + b + N(0, 0.01^2), shapes [n,d] and [n,1]", () => {
    defaultGenerator.manualSeed(42);
    const [X, y] = syntheticData([2, -3.4], 4.2, 1000);
    expect(X.shape).toEqual([1000, 2]);
    expect(X.dtype).toBe("float32");
    expect(y.shape).toEqual([1000, 1]);
    expect(y.dtype).toBe("float32");
    // replay the generator: all of X first, then the noise
    const gen = new Generator(42);
    const x = X.dataSync();
    for (let i = 0; i < 2000; i++) expect(x[i]).toBe(Math.fround(gen.normal()));
    const yy = y.dataSync();
    for (let i = 0; i < 1000; i++) {
      const expected = x[2 * i] * 2 + x[2 * i + 1] * -3.4 + 4.2 + 0.01 * gen.normal();
      expect(yy[i]).toBeCloseTo(expected, 5);
    }
    const residuals = Array.from(yy, (v, i) => v - (x[2 * i] * 2 + x[2 * i + 1] * -3.4 + 4.2));
    const sd = Math.sqrt(mean(residuals.map((r) => r * r)));
    expect(sd).toBeGreaterThan(0.008);
    expect(sd).toBeLessThan(0.012);
  });

  it("takes w as a tensor [d] or [d,1] and b as a one-element tensor (the weight-decay lecture's setup)", () => {
    const w = Tensor.fromTypedArray(new Float32Array(200).fill(0.01), [200, 1], "float32");
    const b = Tensor.fromTypedArray(Float32Array.of(0.05), [1], "float32");
    defaultGenerator.manualSeed(1);
    const [X, y] = syntheticData(w, b, 20);
    expect(X.shape).toEqual([20, 200]);
    expect(y.shape).toEqual([20, 1]);
    defaultGenerator.manualSeed(1);
    const [X2, y2] = syntheticData(new Array(200).fill(Math.fround(0.01)), Math.fround(0.05), 20); // the float32 values the tensors hold
    expect(Array.from(X2.dataSync())).toEqual(Array.from(X.dataSync()));
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it("rejects bad shapes and values naming them", () => {
    const w = Tensor.fromTypedArray(new Float32Array(6), [2, 3], "float32");
    expect(() => syntheticData(w, 0, 5)).toThrow(/syntheticData: w must have shape \[d\] or \[d, 1\], got \[2, 3\]/);
    expect(() => syntheticData([1], Tensor.fromTypedArray(new Float32Array(2), [2], "float32"), 5)).toThrow(/b must be a number or a one-element tensor, got shape \[2\]/);
    expect(() => syntheticData([1, NaN], 0, 5)).toThrow(/syntheticData: w\[1\] is NaN/);
    expect(() => syntheticData([1], 0, 2.5)).toThrow(/numExamples must be a non-negative integer, got 2\.5/);
    expect(() => syntheticData([], 0, 2)).toThrow(/at least one weight/);
  });
});
