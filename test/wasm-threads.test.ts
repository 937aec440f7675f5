import { afterAll, describe, expect, it } from "vitest";
import { setWasmMode, shutdownWasmThreads, wasmGemmF32, wasmKernelInfo, wasmThreadsReady, SPLIT_FINE_MACS, THREAD_MIN_MACS } from "../kernel-lib/src/backends/cpu/wasm/index";
import { filled, runChild } from "./wasm-helpers";

describe("wasm GEMM worker threads", () => {
  afterAll(async () => {
    await shutdownWasmThreads();
    delete process.env.KERNEL_LIB_THREADS;
    setWasmMode("auto");
  });

  it("splits large products over workers with results identical to one thread", async () => {
    process.env.KERNEL_LIB_THREADS = "3"; // caller + 2 workers, even on a 1-core machine
    setWasmMode("simd");
    expect(await wasmThreadsReady()).toBe(2);
    expect(wasmKernelInfo().workers).toBe(2);
    const [m, k, n] = [70, 300, 100];
    expect(m * k * n).toBeGreaterThanOrEqual(THREAD_MIN_MACS);
    for (const [tA, tB] of [[false, false], [false, true], [true, false]] as const) {
      const a = filled(m * k, 5), b = filled(k * n, 6);
      const threaded = new Float32Array(m * n);
      wasmGemmF32(tA, tB, m, n, k, a, 0, b, 0, threaded, 0, false);
      await shutdownWasmThreads();
      expect(wasmKernelInfo().workers).toBe(0);
      const single = new Float32Array(m * n);
      wasmGemmF32(tA, tB, m, n, k, a, 0, b, 0, single, 0, false); // pool restarting: runs on the caller alone
      // Column ranges do not change any element's arithmetic, so the results are bit-identical.
      expect(Array.from(threaded)).toEqual(Array.from(single));
      expect(await wasmThreadsReady()).toBe(2);
    }
    // the in-place kernels for one small side (wasm/gemm-small.ts): a batch of 12 forward and input gradient, and a
    // weight gradient over a batch of 12, with column counts that leave edge blocks in every thread's range
    for (const [tA, tB, sm, sk, sn] of [[false, true, 12, 784, 299], [false, false, 12, 600, 301], [true, false, 500, 12, 403]] as const) {
      expect(sm * sk * sn).toBeGreaterThanOrEqual(THREAD_MIN_MACS);
      const a = filled(sm * sk, 7), b = filled(sk * sn, 8);
      const threaded = new Float32Array(sm * sn);
      wasmGemmF32(tA, tB, sm, sn, sk, a, 0, b, 0, threaded, 0, false);
      await shutdownWasmThreads();
      const single = new Float32Array(sm * sn);
      wasmGemmF32(tA, tB, sm, sn, sk, a, 0, b, 0, single, 0, false);
      expect(Array.from(threaded), `m=${sm} k=${sk} n=${sn} transA=${tA} transB=${tB}`).toEqual(Array.from(single));
      expect(await wasmThreadsReady()).toBe(2);
    }
  });

  it("claims chunks: finer splits of large products and many products in a row match one thread bit for bit", async () => {
    process.env.KERNEL_LIB_THREADS = "3";
    setWasmMode("simd");
    expect(await wasmThreadsReady()).toBe(2);
    // above SPLIT_FINE_MACS the columns are cut into two chunks per thread, claimed by whichever thread is free
    const [m, k, n] = [260, 260, 250];
    expect(m * k * n).toBeGreaterThanOrEqual(SPLIT_FINE_MACS);
    const jobs: Array<{ tA: boolean; tB: boolean; m: number; n: number; k: number; a: Float32Array; b: Float32Array }> = [];
    for (const [tA, tB] of [[false, false], [false, true], [true, false]] as const) {
      jobs.push({ tA, tB, m, n, k, a: filled(m * k, 9), b: filled(k * n, 10) });
    }
    // back-to-back products just above the threading threshold, so that a worker still finishing (or waking for) one
    // job overlaps the next: a chunk claimed under a stale job would show up as a wrong block here
    for (let i = 0; i < 60; i++) jobs.push({ tA: false, tB: i % 2 === 1, m: 64, n: 130, k: 260, a: filled(64 * 260, 11 + i), b: filled(260 * 130, 12 + i) });
    const threaded = jobs.map((j) => {
      const c = new Float32Array(j.m * j.n);
      wasmGemmF32(j.tA, j.tB, j.m, j.n, j.k, j.a, 0, j.b, 0, c, 0, false);
      return c;
    });
    await shutdownWasmThreads();
    jobs.forEach((j, i) => {
      const single = new Float32Array(j.m * j.n);
      wasmGemmF32(j.tA, j.tB, j.m, j.n, j.k, j.a, 0, j.b, 0, single, 0, false);
      expect(Array.from(threaded[i]), `job ${i}: m=${j.m} k=${j.k} n=${j.n} transA=${j.tA} transB=${j.tB}`).toEqual(Array.from(single));
    });
    expect(64 * 130 * 260).toBeGreaterThanOrEqual(THREAD_MIN_MACS);
  });

  it("does not keep the process alive: a script using threads exits on its own", () => {
    const script = `
      (async () => {
        const ready = await wasm.wasmThreadsReady();
        const m = 128, k = 256, n = 128, a = new Float32Array(m * k).fill(1), b = new Float32Array(k * n).fill(2);
        const c = new Float32Array(m * n);
        wasm.wasmGemmF32(false, false, m, n, k, a, 0, b, 0, c, 0, false);
        console.log(JSON.stringify({ ready, workers: wasm.wasmKernelInfo().workers, c0: c[0], cLast: c[m * n - 1] }));
      })();`;
    const r = runChild([], script, { KERNEL_LIB_THREADS: "2", KERNEL_LIB_WASM: "simd" }, 30_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ ready: 1, workers: 1, c0: 512, cLast: 512 });
  });
});
