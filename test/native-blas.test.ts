// The optional native GEMM (kernel-lib/dist/native/blas.node on OpenBLAS, Accelerate on macOS): when it is built, every transpose form,
// accumulate and offset case matches the float64 reference within the bound the wasm tests use, and misuse throws
// named errors; whether or not it is built, gemm() stays correct and the best-effort build never fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { gemm } from "../kernel-lib/src/backends/cpu/gemm";
import { nativeBlasInfo, nativeSgemm, setNativeBlasThreads, type NativeSgemm } from "../kernel-lib/src/backends/cpu/native";
import { checkGemmAll } from "./wasm-helpers";

const ROOT = join(__dirname, "..");
const ADDON = join(ROOT, "kernel-lib", "dist", "native", "blas.node");
const BUILD = join(ROOT, "kernel-lib", "native", "build.mjs");
const built = existsSync(ADDON) && process.env.KERNEL_LIB_BLAS !== "off";

// [m, k, n]: single elements, odd edges, k = 0, empty outputs, and products large enough for two OpenBLAS threads.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [3, 5, 2], [4, 8, 16], [5, 7, 9], [13, 300, 19], [12, 784, 33], [97, 513, 70], [130, 12, 700], [6, 0, 5], [0, 3, 4], [4, 3, 0],
  // the small-side kernels (native/small_gemm.h): every row-block height 1-6 and its remainders up to 16 rows, column
  // tails of 1-15 lanes and of a 64-column block, k tails of a 16-lane slice, and the largest sides either kernel takes
  [2, 1, 3], [6, 16, 64], [7, 17, 65], [11, 33, 127], [16, 15, 4], [16, 129, 200], [17, 16, 31], [300, 3, 70], [40, 16, 17],
  // the lecture MLP's first layer at batch 12: forward (m=12 k=784 n=512) and weight gradient (m=512 k=12 n=784)
  [12, 784, 512], [512, 12, 784],
  // the dot form with few columns: a batch of 256 against a 10-class output layer, and 7 or 17 columns
  [256, 256, 10], [41, 33, 7], [40, 20, 17],
  // no small side (native/mid_gemm.h): just past the small side, transpose blocks with row and k tails of 1-7, and
  // products split over two threads at a multiple of 16 columns with a partial last vector on either side
  [17, 17, 17], [18, 23, 29], [67, 129, 131], [200, 301, 97], [96, 64, 300],
];
/** Products the mid kernels run on two threads (m and n >= 64, >= 2^20 multiply-adds), in column chunks the threads claim, as [m, k, n]. */
const SPLIT_SHAPES: Array<[number, number, number]> = [[67, 129, 131], [200, 301, 97], [96, 64, 300], [256, 784, 256], [256, 256, 784]];
type Gemm = NativeSgemm;

/** The CPU's feature flags from /proc/cpuinfo, or null where there is none (macOS). */
function readCpuFlags(): string | null {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return null;
  }
}

/** Every shape × transpose form × accumulate at non-zero offsets, against the float64 reference. */
function checkAll(run: Gemm): void {
  checkGemmAll(run, SHAPES, (ok, label) => expect(ok, label).toBe(true));
}

/**
 * The addon in a child with KERNEL_LIB_SMALL_GEMM=setting: every shape x transpose form x accumulate at non-zero
 * offsets against a float64 reference with checkGemmAll's bound (plain JavaScript: the child cannot load the
 * TypeScript helpers), and the elements around C untouched.
 */
function childCheck(setting: string): { smallGemm: string; failures: string[]; checked: number } {
  const script = `const addon = require(${JSON.stringify(ADDON)});
    const fill = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + s));
    const failures = [];
    let checked = 0;
    for (const [m, k, n] of ${JSON.stringify(SHAPES)})
      for (const tA of [false, true]) for (const tB of [false, true]) for (const acc of [false, true]) {
        const a = fill(m * k + 3, m + k), b = fill(k * n + 5, n), c = fill(m * n + 9, 3), c0 = c.slice();
        addon.sgemm(tA, tB, m, n, k, a, 3, b, 5, c, 7, acc);
        const label = "m=" + m + " k=" + k + " n=" + n + " transA=" + tA + " transB=" + tB + " accumulate=" + acc;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let want = acc ? c0[7 + i * n + j] : 0, mag = Math.abs(want);
          for (let p = 0; p < k; p++) {
            const term = a[3 + (tA ? p * m + i : i * k + p)] * b[5 + (tB ? j * k + p : p * n + j)];
            want += term;
            mag += Math.abs(term);
          }
          if (!(Math.abs(c[7 + i * n + j] - want) <= (k + 2) * 2 ** -24 * mag + 1e-30)) failures.push(label + " [" + i + "," + j + "]");
        }
        for (let i = 0; i < c.length; i++) if ((i < 7 || i >= 7 + m * n) && !Object.is(c[i], c0[i])) failures.push(label + ": element " + i + " outside C changed");
        checked++;
      }
    console.log(JSON.stringify({ smallGemm: addon.info().smallGemm, failures: failures.slice(0, 5), checked }));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_SMALL_GEMM: setting } });
  if (r.status !== 0) throw new Error(`child with KERNEL_LIB_SMALL_GEMM=${setting} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { smallGemm: string; failures: string[]; checked: number };
}

/** Runs node on a script with native.ts transpiled into a temp dir, where no addon lies next to it. */
function childWithoutAddon(env: Record<string, string>, script: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "native-blas-"));
  const src = ts.sys.readFile(join(ROOT, "kernel-lib", "src", "backends", "cpu", "native.ts")) ?? "";
  writeFileSync(join(dir, "native.js"), ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText);
  const r = spawnSync(process.execPath, ["-e", `const native = require(${JSON.stringify(join(dir, "native.js"))});\n${script}`], {
    encoding: "utf8", env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("native BLAS (optional)", () => {
  afterAll(() => { if (built) setNativeBlasThreads(2); });

  it("reports whether it is in use, and why not", () => {
    const info = nativeBlasInfo();
    expect(info.available).toBe(built);
    if (info.available) {
      expect(info.config).toMatch(process.platform === "darwin" ? /^Apple Accelerate/ : /OpenBLAS/);
      expect(info.core.length).toBeGreaterThan(0);
      expect(info.threads).toBeGreaterThanOrEqual(1);
      expect(nativeSgemm()).toBeTypeOf("function");
    } else {
      expect(info.reason).toMatch(/not built|KERNEL_LIB_BLAS=off|failed to load/);
      expect(nativeSgemm()).toBeNull();
    }
  });

  it("gemm() (native when built, else wasm) matches the float64 reference on every form", () => {
    checkAll(gemm as Gemm);
  });

  it("the addon's sgemm matches the reference on one and on two OpenBLAS threads, or the fallback is in use", () => {
    const sgemm = nativeSgemm();
    if (!built) {
      expect(sgemm).toBeNull();
      return;
    }
    expect(sgemm).not.toBeNull();
    for (const threads of [1, 2]) {
      setNativeBlasThreads(threads);
      expect(nativeBlasInfo()).toMatchObject({ available: true, threads });
      checkAll(sgemm as Gemm);
    }
  });

  it("the small-side kernels run where the CPU has them; their AVX2 copy and KERNEL_LIB_SMALL_GEMM=off are as accurate", () => {
    if (!built) return;
    const flags = readCpuFlags();
    const expected = process.arch !== "x64" ? /^not built/ : flags === null ? /^(avx512|avx2|off)/
      : /\bavx512f\b/.test(flags) ? /^avx512$/ : /\bavx2\b/.test(flags) ? /^avx2$/ : /^off/;
    expect(nativeBlasInfo()).toMatchObject({ smallGemm: expect.stringMatching(expected) });
    for (const setting of ["avx2", "off"]) {
      const child = childCheck(setting);
      expect(child.smallGemm).toMatch(setting === "off" ? /^(off \(KERNEL_LIB_SMALL_GEMM=off\)|not built)/ : /^(avx2|off \(this CPU|not built)/);
      expect(child.failures, `KERNEL_LIB_SMALL_GEMM=${setting}`).toEqual([]);
      expect(child.checked).toBe(SHAPES.length * 8);
    }
  });

  it("results do not depend on the thread count: one and two threads give the same bits on every form", () => {
    const sgemm = nativeSgemm();
    if (!built || !sgemm) return;
    const fill = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
    for (const [m, k, n] of SPLIT_SHAPES)
      for (const tA of [false, true]) for (const tB of [false, true]) for (const acc of [false, true]) {
        const a = fill(m * k, m), b = fill(k * n, n), c0 = fill(m * n, 3);
        const results = [1, 2].map((threads) => {
          setNativeBlasThreads(threads);
          const c = c0.slice();
          sgemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, acc);
          return c;
        });
        const differ = results[0].findIndex((v, i) => !Object.is(v, results[1][i]));
        expect(differ, `m=${m} k=${k} n=${n} transA=${tA} transB=${tB} accumulate=${acc}: first differing element`).toBe(-1);
      }
    setNativeBlasThreads(2);
  });

  it("many two-thread products in a row match one thread: a chunk is never claimed under a stale job", () => {
    const sgemm = nativeSgemm();
    if (!built || !sgemm) return;
    const fill = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
    const jobs = Array.from({ length: 80 }, (_, i) => {
      const [m, k, n] = i % 3 === 0 ? [96, 64, 300] : i % 3 === 1 ? [67, 129, 131] : [128, 96, 176];
      return { m, k, n, tB: i % 2 === 1, a: fill(m * k, i), b: fill(k * n, i + 0.5) };
    });
    const run = (threads: number) => {
      setNativeBlasThreads(threads);
      return jobs.map((j) => {
        const c = new Float32Array(j.m * j.n);
        sgemm(false, j.tB, j.m, j.n, j.k, j.a, 0, j.b, 0, c, 0, false);
        return c;
      });
    };
    const two = run(2), one = run(1);
    jobs.forEach((j, i) => {
      const differ = one[i].findIndex((v, e) => !Object.is(v, two[i][e]));
      expect(differ, `job ${i}: m=${j.m} k=${j.k} n=${j.n} transB=${j.tB}: first differing element`).toBe(-1);
    });
    setNativeBlasThreads(2);
  });

  it("misuse throws errors naming the function and sizes", () => {
    const sgemm = nativeSgemm();
    if (!built) {
      expect(() => setNativeBlasThreads(2)).toThrow(/setNativeBlasThreads\(2\): native BLAS is not available/);
      return;
    }
    const f = sgemm as Gemm;
    const a = new Float32Array(6), b = new Float32Array(6), c = new Float32Array(4);
    expect(() => f(false, false, 2, 2, 3, a, 1, b, 0, c, 0, false)).toThrow(
      "native sgemm: a needs 6 elements from offset 1 for m=2 n=2 k=3 (transA=0 transB=0), but has length 6");
    expect(() => f(false, true, 3, 2, 2, a, 0, b, 0, c, 0, false)).toThrow(/native sgemm: c needs 6 elements from offset 0 for m=3 n=2 k=2 \(transA=0 transB=1\), but has length 4/);
    expect(() => f(false, false, 2, 2, 3, a, 0, new Float64Array(6) as unknown as Float32Array, 0, c, 0, false)).toThrow(
      "native sgemm: b must be a Float32Array");
    expect(() => f(false, false, 2.5, 2, 3, a, 0, b, 0, c, 0, false)).toThrow("native sgemm: m, n and k must be non-negative integers");
    expect(() => f(false, false, 2, 2, 3, a, -1, b, 0, c, 0, false)).toThrow("native sgemm: aOff, bOff and cOff must be non-negative integers");
    expect(() => f(0 as unknown as boolean, false, 2, 2, 3, a, 0, b, 0, c, 0, false)).toThrow(/transA, transB and accumulate must be booleans/);
    const shared = new Float32Array(16);
    expect(() => f(false, false, 2, 2, 2, shared, 0, shared, 4, shared, 2, false)).toThrow(/native sgemm: c overlaps a or b in memory \(m=2 n=2 k=2\)/);
    expect(() => (f as unknown as (...args: unknown[]) => void)(false, false, 1, 1)).toThrow(/native sgemm: expected 12 arguments/);
    expect(() => setNativeBlasThreads(0)).toThrow("native setThreads: n must be a positive integer");
  });

  it("gemm() with C sharing storage with an operand still computes from the original operands", () => {
    // A = buf[0..4) as 2x2, C = buf[4..8): no overlap, but one buffer; native is skipped, result must be right
    const buf = new Float32Array([1, 2, 3, 4, 0, 0, 0, 0]);
    gemm(false, false, 2, 2, 2, buf, 0, buf, 0, buf, 4, false);
    expect(Array.from(buf.subarray(4))).toEqual([7, 10, 15, 22]);
  });

  it("without the addon: null and no error, KERNEL_LIB_BLAS=require throws, KERNEL_LIB_BLAS=off disables", () => {
    const absent = childWithoutAddon({ KERNEL_LIB_BLAS: "" }, "console.log(JSON.stringify([native.nativeSgemm(), native.nativeBlasInfo()]));");
    expect(absent.status, absent.stderr).toBe(0);
    expect(JSON.parse(absent.stdout)).toEqual([null, { available: false, reason: expect.stringMatching(/not built/) }]);
    const required = childWithoutAddon({ KERNEL_LIB_BLAS: "require" }, "native.nativeSgemm();");
    expect(required.status).not.toBe(0);
    expect(required.stderr).toMatch(/native BLAS required by KERNEL_LIB_BLAS=require but unavailable: .*not built/);
    const off = childWithoutAddon({ KERNEL_LIB_BLAS: "off" }, "console.log(JSON.stringify(native.nativeBlasInfo()));");
    expect(JSON.parse(off.stdout)).toEqual({ available: false, reason: "disabled by KERNEL_LIB_BLAS=off" });
  });

  it("the best-effort build prints one line and exits 0 without a compiler, and builds a loadable addon with one", () => {
    const dir = mkdtempSync(join(tmpdir(), "native-build-"));
    const out = join(dir, "blas.node");
    const noCc = spawnSync(process.execPath, [BUILD], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_BLAS: "", KERNEL_LIB_NATIVE_CC: "no-such-cc", KERNEL_LIB_NATIVE_OUT: out } });
    expect(noCc.status).toBe(0);
    const fix = process.platform === "darwin" ? "install Xcode's command line tools with `xcode-select --install`" : "install a C compiler (Debian/Ubuntu: build-essential) or set KERNEL_LIB_NATIVE_CC";
    expect(noCc.stdout).toBe(`native BLAS not built: compiler no-such-cc not usable (ENOENT); ${fix}; using WebAssembly kernels\n`);
    expect(existsSync(out)).toBe(false);
    const failing = spawnSync(process.execPath, [BUILD], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_BLAS: "", KERNEL_LIB_NATIVE_CC: "false", KERNEL_LIB_NATIVE_OUT: out } });
    expect(failing.status).toBe(0);
    expect(failing.stdout).toMatch(/^native BLAS not built: (OpenBLAS|Apple Accelerate): false failed \(exit 1\).*; using WebAssembly kernels\n$/);
    if (!built) return; // no toolchain here: the two lines above are all an install without one sees
    const ok = spawnSync(process.execPath, [BUILD], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_BLAS: "", KERNEL_LIB_NATIVE_CC: "", KERNEL_LIB_NATIVE_OUT: out } });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`native BLAS built on ${process.platform === "darwin" ? "Apple Accelerate" : "OpenBLAS"}: ${out}\n`);
    const load = spawnSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(out)}).info().config)`], { encoding: "utf8" });
    expect(load.stdout).toMatch(process.platform === "darwin" ? /^Apple Accelerate/ : /^OpenBLAS/);
  });
});
