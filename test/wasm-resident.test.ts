// Resident storage on the wasm path (WasmRuntime.residentF32): a module's large float32 parameters and an optimizer's
// state live in wasm memory, where the products and the optimizer steps read them in place. Everything computed
// from them is bit-identical to the copying path; the region's blocks are reused and returned.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setNativeBlasEnabled } from "../kernel-lib/src/backends/cpu/native";
import { wasmGemmF32 } from "../kernel-lib/src/backends/cpu/wasm/gemm";
import { ResidentRegion } from "../kernel-lib/src/backends/cpu/wasm/resident";
import { getRuntime, setWasmMode } from "../kernel-lib/src/backends/cpu/wasm/runtime";
import { wasmResidentSgdF32 } from "../kernel-lib/src/backends/cpu/wasm/training";
import { torch } from "../kernel-lib/src/index";
import type { Tensor } from "../kernel-lib/src/tensor/tensor";
import { f32Bits, filled } from "./wasm-helpers";

const ROOT = join(__dirname, "..");
const bits = f32Bits;

afterAll(() => {
  setNativeBlasEnabled(true);
});

describe("ResidentRegion", () => {
  it("fits blocks first into holes, merges neighbours and lowers its top when the highest block is freed", () => {
    const r = new ResidentRegion(1024);
    const a = r.alloc(100), b = r.alloc(64), c = r.alloc(1);
    expect([a, b, c]).toEqual([1024, 1152, 1216]);
    expect(r.top).toBe(1280);
    r.release(b, 64);
    expect(r.holeBytes()).toBe(64);
    expect(r.alloc(10)).toBe(b); // the hole, first fit
    r.release(b, 10);
    r.release(a, 100);
    expect(r.holeBytes()).toBe(192); // a and b merged
    r.release(c, 1);
    expect([r.top, r.holeBytes()]).toEqual([1024, 0]); // c was on top: everything merged back into the top
  });

  it("refuses a block it did not give and a block freed twice", () => {
    const r = new ResidentRegion(0);
    const a = r.alloc(64);
    r.alloc(64);
    r.release(a, 64);
    expect(() => r.release(a, 64)).toThrow("ResidentRegion: the block at 0 (64 bytes) is already free");
    expect(() => r.release(4096, 64)).toThrow("ResidentRegion: no block of 64 bytes at 4096");
    expect(() => new ResidentRegion(100)).toThrow("ResidentRegion: base 100 is not 64-byte aligned");
  });
});

describe("resident storage in wasm memory", () => {
  const rt = getRuntime();

  it.skipIf(!rt)("is zero-filled, found by residentOffset, and stays valid while the memory grows", () => {
    const runtime = rt!;
    const first = runtime.residentF32(1000)!;
    first.fill(7);
    expect(runtime.residentOffset(first)).toBeGreaterThan(0);
    expect(runtime.residentOffset(new Float32Array(1000))).toBe(-1);
    expect(runtime.residentOffset(first.subarray(1))).toBe(-1); // only the array residentF32 returned
    const pagesBefore = runtime.memory.buffer.byteLength;
    const big = runtime.residentF32(8 << 20)!; // 32 MiB: the memory grows
    expect(runtime.memory.buffer.byteLength).toBeGreaterThan(pagesBefore);
    expect(first.length).toBe(1000);
    expect(first.every((v) => v === 7)).toBe(true);
    first[999] = 3;
    expect(new Float32Array(runtime.memory.buffer, runtime.residentOffset(first), 1000)[999]).toBe(3);
    expect(big.every((v) => v === 0)).toBe(true);
    // a block handed back and taken again reads as zeros
    const ptr = runtime.residentOffset(first);
    expect(runtime.freeResident(first)).toBe(true);
    expect(runtime.freeResident(first)).toBe(false);
    expect(runtime.residentOffset(first)).toBe(-1);
    const again = runtime.residentF32(1000)!;
    expect(runtime.residentOffset(again)).toBe(ptr);
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it.skipIf(!rt)("products with resident operands give the same bits as with copied ones, on one thread and two", () => {
    const runtime = rt!;
    for (const [m, k, n] of [[12, 784, 512], [512, 12, 784], [70, 300, 100], [5, 7, 9]]) {
      for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        for (const accumulate of [false, true]) {
          const a = filled(m * k + 3, m), b = filled(k * n + 5, n), c0 = filled(m * n, 2);
          const ra = runtime.residentF32(a.length)!, rb = runtime.residentF32(b.length)!;
          ra.set(a);
          rb.set(b);
          const copied = c0.slice(), inPlace = c0.slice();
          wasmGemmF32(tA, tB, m, n, k, a, 3, b, 5, copied, 0, accumulate);
          wasmGemmF32(tA, tB, m, n, k, ra, 3, rb, 5, inPlace, 0, accumulate);
          expect(bits(inPlace), `m=${m} k=${k} n=${n} transA=${tA} transB=${tB} accumulate=${accumulate}`).toEqual(bits(copied));
        }
      }
    }
  });

  it.skipIf(!rt)("SGD on a resident parameter rounds as the TypeScript loop: tails, signed zeros, subnormals, NaN and infinities", () => {
    const runtime = rt!;
    for (const n of [1, 3, 4, 7, 4099]) {
      const p = filled(n, 1), g = filled(n, 2);
      const specials = [0, -0, 1e-45, -1e-45, 1e-38, 3.4e38, Infinity, -Infinity, NaN];
      for (let i = 0; i < Math.min(n, specials.length); i++) {
        p[i] = specials[i];
        g[(i * 3) % n] = specials[(i + 4) % specials.length];
      }
      const lr = Math.fround(0.037);
      const want = p.slice();
      for (let i = 0; i < n; i++) want[i] = want[i] - lr * g[i];
      const resident = runtime.residentF32(n)!;
      resident.set(p);
      expect(wasmResidentSgdF32(resident, g, lr)).toBe(true);
      expect(bits(resident), `n=${n}`).toEqual(bits(want));
      expect(wasmResidentSgdF32(p.slice(), g, lr)).toBe(false); // not resident: left to the TypeScript loop
    }
  });
});

/** A 784-64-10 MLP built with the native addon on (ordinary storage) or off (resident on the wasm path). */
function mlp(resident: boolean): InstanceType<typeof torch.nn.Sequential> {
  setNativeBlasEnabled(!resident);
  torch.manualSeed(3);
  const model = new torch.nn.Sequential(new torch.nn.Linear(784, 64), new torch.nn.ReLU(), new torch.nn.Linear(64, 10));
  setNativeBlasEnabled(false);
  return model;
}

function train(model: InstanceType<typeof torch.nn.Sequential>, makeOpt: (p: Tensor[]) => { zeroGrad(): void; step(): void }): Float32Array[] {
  torch.manualSeed(4);
  const x = torch.rand([12, 784]), y = torch.randint(0, 10, [12]);
  const opt = makeOpt(model.parameters());
  for (let step = 0; step < 6; step++) {
    opt.zeroGrad();
    torch.nn.functional.crossEntropy(model.forward(x), y).backward();
    opt.step();
  }
  return model.parameters().map((p) => (p as unknown as { _data: Float32Array })._data.slice());
}

describe("training with resident parameters", () => {
  const rt = getRuntime();

  it.skipIf(!rt)("SGD and Adam give the same parameters, bit for bit, as with ordinary storage", () => {
    const runtime = rt!;
    for (const makeOpt of [(p: Tensor[]) => new torch.optim.SGD(p, { lr: 0.05 }), (p: Tensor[]) => new torch.optim.Adam(p, { lr: 1e-3 })]) {
      const plain = mlp(false), resident = mlp(true);
      const weight = (model: typeof plain): Float32Array => (model.parameters()[0] as unknown as { _data: Float32Array })._data;
      expect(runtime.residentOffset(weight(resident))).toBeGreaterThan(0);
      // with the addon absent both models are resident, and the comparison still holds
      const a = train(plain, makeOpt), b = train(resident, makeOpt);
      a.forEach((values, i) => expect(bits(b[i]), `parameter ${i}`).toEqual(bits(values)));
    }
  });

  it.skipIf(!rt)("a model made before the wasm runtime is replaced keeps training correctly (its arrays are then copied)", () => {
    const plain = mlp(false), resident = mlp(true);
    const weight = (resident.parameters()[0] as unknown as { _data: Float32Array })._data;
    const before = getRuntime()!;
    expect(before.residentOffset(weight)).toBeGreaterThan(0);
    setWasmMode("simd"); // a new runtime, with its own memory, even in the same mode
    try {
      expect(getRuntime()!.residentOffset(weight)).toBe(-1);
      const sgd = (p: Tensor[]) => new torch.optim.SGD(p, { lr: 0.05 });
      const a = train(plain, sgd), b = train(resident, sgd);
      a.forEach((values, i) => expect(bits(b[i]), `parameter ${i}`).toEqual(bits(values)));
    } finally {
      setWasmMode("auto");
    }
  });

  it.skipIf(!rt)("returns the blocks of models the garbage collector took: building models in a loop does not grow the region", () => {
    const script = `
      const { torch } = require(${JSON.stringify(join(ROOT, "kernel-lib", "dist", "index.js"))});
      const { getRuntime } = require(${JSON.stringify(join(ROOT, "kernel-lib", "dist", "backends", "cpu", "wasm", "runtime.js"))});
      const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
      (async () => {
        const tops = [];
        for (let round = 0; round < 30; round++) {
          new torch.nn.Sequential(new torch.nn.Linear(784, 512), new torch.nn.Linear(512, 10));
          global.gc();
          await tick(); // finalizers run between tasks
          tops.push(getRuntime().residentBytes().top);
        }
        console.log(JSON.stringify(tops));
      })();`;
    const r = spawnSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_BLAS: "off" } });
    expect(r.status, r.stderr).toBe(0);
    const tops = JSON.parse(r.stdout.trim()) as number[];
    const oneModel = (784 * 512 + 512 * 10) * 4;
    expect(tops[0]).toBeGreaterThanOrEqual(oneModel);
    expect(Math.max(...tops), `resident bytes after each round: ${tops.join(", ")}`).toBeLessThan(3 * oneModel);
  });
});
