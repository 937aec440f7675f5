// The native ReLU, ReLU backward and row gather (kernel-lib/dist/native/blas.node) work on the tensors' own arrays:
// bit for bit the wasm kernels they stand in for (NaN stays NaN, -0 becomes +0), in place where the callers
// write in place; the gather matches an element loop and throws named errors on misuse. With the addon disabled,
// indexSelect and TensorDataset batches give the same values through the TypeScript copies. And the addon's
// malloc setting is reported and can be turned off.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nativeBlasInfo, nativeGatherRowsF32, nativeReluBackwardF32, nativeReluF32, setNativeBlasEnabled } from "../kernel-lib/src/backends/cpu/native";
import { wasmReluBackwardF32, wasmReluF32 } from "../kernel-lib/src/backends/cpu/wasm/elementwise";
import { torch } from "../kernel-lib/src";

const ADDON = join(__dirname, "..", "kernel-lib", "dist", "native", "blas.node");
const built = existsSync(ADDON) && process.env.KERNEL_LIB_BLAS !== "off";
const SIZES = [1, 3, 8, 17, 1029, 65536];

function randomF32(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  // the edge values, where there is room: NaN, both zeros, both infinities, the smallest subnormals
  [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45].forEach((v, k) => { if (k < n) out[(k * 7919) % n] = v; });
  return out;
}

/** Bits of each element, NaNs as one marker (the wasm max may canonicalise a NaN's payload). */
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? -1 : b));

describe.runIf(built)("native elementwise kernels", () => {
  it("relu: bit for bit the wasm kernel, into a fresh array and in place", () => {
    for (const n of SIZES) {
      const x = randomF32(n, n);
      const expected = new Float32Array(n);
      wasmReluF32(x, expected);
      const out = new Float32Array(n);
      expect(nativeReluF32(x, out)).toBe(true);
      expect(bits(out), `n=${n}`).toEqual(bits(expected));
      const inPlace = x.slice();
      nativeReluF32(inPlace, inPlace);
      expect(bits(inPlace), `n=${n} in place`).toEqual(bits(expected));
    }
  });

  it("reluBackward: bit for bit the wasm kernel, gx fresh or gy itself", () => {
    for (const n of SIZES) {
      const x = randomF32(n, n + 1), gy = randomF32(n, n + 2);
      const expected = new Float32Array(n);
      wasmReluBackwardF32(gy, x, expected);
      const gx = new Float32Array(n);
      expect(nativeReluBackwardF32(gy, x, gx)).toBe(true);
      expect(bits(gx), `n=${n}`).toEqual(bits(expected));
      const g2 = gy.slice();
      nativeReluBackwardF32(g2, x, g2);
      expect(bits(g2), `n=${n} in place`).toEqual(bits(expected));
    }
  });

  it("gatherRows: the rows asked for, negative indices from the end, empty batches", () => {
    const rows = 9, len = 37;
    const src = randomF32(rows * len, 5);
    const indices = new Int32Array([3, 0, 8, -1, -9, 3]);
    const out = new Float32Array(indices.length * len);
    expect(nativeGatherRowsF32(src, len, indices, out)).toBe(true);
    indices.forEach((i, k) => {
      const r = i < 0 ? i + rows : i;
      expect(bits(out.subarray(k * len, (k + 1) * len)), `row ${k}`).toEqual(bits(src.subarray(r * len, (r + 1) * len)));
    });
    expect(nativeGatherRowsF32(src, len, new Int32Array(0), new Float32Array(0))).toBe(true);
    // more rows than the kernel prefetches ahead, negative ones among those it prefetches, rows of several lines
    const wide = 300, many = Int32Array.from({ length: 23 }, (_, k) => (k * 5) % rows - (k % 3 === 0 ? rows : 0));
    const wideSrc = randomF32(rows * wide, 6), wideOut = new Float32Array(many.length * wide);
    expect(nativeGatherRowsF32(wideSrc, wide, many, wideOut)).toBe(true);
    many.forEach((i, k) => {
      const r = i < 0 ? i + rows : i;
      expect(bits(wideOut.subarray(k * wide, (k + 1) * wide)), `wide row ${k}`).toEqual(bits(wideSrc.subarray(r * wide, (r + 1) * wide)));
    });
  });

  it("misuse throws errors naming the kernel and the offending value", () => {
    const a = new Float32Array(4), b = new Float32Array(5);
    expect(() => nativeReluF32(a, b)).toThrow("native relu: out has 5 elements but x has 4");
    expect(() => nativeReluF32(new Float32Array(0), new Float32Array(2))).toThrow("native relu: out has 2 elements but x has 0");
    expect(() => nativeReluBackwardF32(a, a, b)).toThrow("native reluBackward: gx has 5 elements but gy has 4");
    expect(() => nativeReluF32(a, new Float64Array(4) as unknown as Float32Array)).toThrow("native relu: out must be a Float32Array");
    const shared = new Float32Array(8);
    expect(() => nativeReluF32(shared.subarray(0, 4), shared.subarray(2, 6))).toThrow("native relu: out overlaps x without being x");
    expect(() => nativeReluBackwardF32(a, a, shared.subarray(0, 4))).not.toThrow();
    expect(() => nativeReluBackwardF32(shared.subarray(0, 4), a, shared.subarray(1, 5))).toThrow(/native reluBackward: gx overlaps gy or x/);
    const src = new Float32Array(6);
    expect(() => nativeGatherRowsF32(src, 2, new Int32Array([3]), new Float32Array(2))).toThrow(
      "native gatherRows: index 3 at position 0 is out of range for 3 rows");
    expect(() => nativeGatherRowsF32(src, 2, new Int32Array([0, -4]), new Float32Array(4))).toThrow(
      "native gatherRows: index -4 at position 1 is out of range for 3 rows");
    expect(() => nativeGatherRowsF32(src, 2, new Int32Array([0]), new Float32Array(3))).toThrow(
      "native gatherRows: out has 3 elements, expected 2 (1 rows of 2)");
    expect(() => nativeGatherRowsF32(src, 4, new Int32Array([0]), new Float32Array(4))).toThrow(/src length is not a multiple of rowLength/);
    expect(() => nativeGatherRowsF32(src, 2, [0] as unknown as Int32Array, new Float32Array(2))).toThrow("native gatherRows: indices must be an Int32Array");
    expect(() => nativeGatherRowsF32(src, 0, new Int32Array(0), new Float32Array(0))).toThrow(/rowLength must be a positive integer/);
    expect(() => nativeGatherRowsF32(src, 2, new Int32Array([0]), src.subarray(0, 2))).toThrow("native gatherRows: out overlaps src");
  });

  it("reports the malloc setting it made, and leaves malloc alone when told to or when the user set it", () => {
    const info = nativeBlasInfo();
    expect(info.available).toBe(true);
    if (!info.available) return;
    const glibc = process.platform === "linux" && process.report?.getReport !== undefined &&
      Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
    const ambient = process.env.MALLOC_MMAP_THRESHOLD_ !== undefined || process.env.MALLOC_TRIM_THRESHOLD_ !== undefined;
    if (glibc && !ambient && process.env.KERNEL_LIB_MALLOC !== "default") {
      expect(info.malloc).toBe("glibc mmap threshold 16 MiB, trim threshold 64 MiB");
    }
    const child = (env: Record<string, string>) => {
      const clean = { ...process.env };
      delete clean.MALLOC_MMAP_THRESHOLD_;
      delete clean.MALLOC_TRIM_THRESHOLD_;
      delete clean.KERNEL_LIB_MALLOC;
      const r = spawnSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(ADDON)}).info().malloc)`], { encoding: "utf8", env: { ...clean, ...env } });
      return r.stdout.trim();
    };
    expect(child({ KERNEL_LIB_MALLOC: "default" })).toBe("default");
    if (glibc) {
      expect(child({})).toBe("glibc mmap threshold 16 MiB, trim threshold 64 MiB");
      expect(child({ MALLOC_TRIM_THRESHOLD_: "1000000" })).toBe("glibc thresholds from the environment");
    }
  });
});

describe("row gathers with and without the addon", () => {
  it("indexSelect along dim 0 and TensorDataset batches give the same values either way", () => {
    const cases: Array<[string, number[]]> = [["float32", [7, 40]], ["float32", [7, 3]], ["float64", [7, 40]], ["int32", [7, 33]], ["float32", [7, 2, 20]]];
    for (const [dtype, shape] of cases) {
      const x = torch.arange(shape.reduce((p, q) => p * q)).reshape(shape).to(dtype as "float32");
      const index = torch.tensor([6, 0, 3, 3], { dtype: "int32" });
      const expected = [6, 0, 3, 3].map((i) => x.select(0, i).tolist());
      const ds = new torch.utils.data.TensorDataset(x);
      for (const native of [true, false]) {
        const previous = setNativeBlasEnabled(native);
        try {
          expect(x.indexSelect(0, index).tolist(), `${dtype} ${shape} native=${native}`).toEqual(expected);
          expect(ds.getBatch(new Int32Array([6, 0, -4, 3]))[0].tolist(), `${dtype} ${shape} batch native=${native}`).toEqual(expected);
          // along a later dimension the rows are not contiguous: the element loop
          expect(x.indexSelect(1, torch.tensor([1, 0], { dtype: "int32" })).select(1, 0).tolist()).toEqual(x.select(1, 1).tolist());
        } finally {
          setNativeBlasEnabled(previous);
        }
      }
    }
  });
});
