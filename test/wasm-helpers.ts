// Helpers for the wasm kernel tests: deterministic data, float64 references, and a child Node process that runs
// the kernel loader (transpiled from source) with extra flags such as --experimental-wasm-relaxed-simd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import ts from "typescript";

export const EPS32 = 2 ** -24;

/** The raw bit patterns of a Float32Array (for bit-for-bit comparisons; NaNs compare by payload). */
export function f32Bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

export function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** float64 C = op(A)·op(B) and the per-element bound Σ|a||b| used for rounding tolerances. */
export function refGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number,
): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(m * n), mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, t = 0;
      for (let p = 0; p < k; p++) {
        const av = a[aOff + (transA ? p * m + i : i * k + p)], bv = b[bOff + (transB ? j * k + p : p * n + j)];
        s += av * bv;
        t += Math.abs(av * bv);
      }
      c[i * n + j] = s;
      mag[i * n + j] = t;
    }
  }
  return { c, mag };
}

/** Largest |got - want| / allowed over all elements (≤ 1 passes). */
export function worstRatio(got: ArrayLike<number>, want: ArrayLike<number>, allowed: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const r = err === 0 ? 0 : err / allowed(i);
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : r;
  }
  return worst;
}

const repoRoot = join(__dirname, "..");
let transpiled: string | undefined;

/** Transpiles kernel-lib/src/backends/cpu/wasm (self-contained) to CommonJS in a temp dir; returns its index.js. */
export function transpiledWasmLoader(): string {
  if (transpiled) return transpiled;
  const src = join(repoRoot, "kernel-lib/src/backends/cpu/wasm");
  const out = mkdtempSync(join(tmpdir(), "kl-wasm-"));
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), join(rel, entry.name));
      else if (entry.name.endsWith(".ts")) {
        const code = ts.sys.readFile(join(dir, entry.name)) ?? "";
        const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
        mkdirSync(join(out, rel), { recursive: true });
        writeFileSync(join(out, rel, entry.name.replace(/\.ts$/, ".js")), js);
      }
    }
  };
  walk(src, "");
  transpiled = join(out, "index.js");
  return transpiled;
}

/** Runs `script` (CommonJS; `wasm` is the loader) in a fresh Node with the given flags; returns parsed JSON stdout. */
export function runChild(flags: string[], script: string, env: Record<string, string> = {}, timeoutMs = 60_000): { status: number | null; json: unknown; stderr: string; ms: number } {
  const file = join(dirname(transpiledWasmLoader()), `child-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, `const wasm = require(${JSON.stringify(transpiledWasmLoader())});\n${script}\n`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [...flags, file], { encoding: "utf8", env: { ...process.env, KERNEL_LIB_BLAS: "off", ...env }, timeout: timeoutMs, maxBuffer: 1 << 28 });
  const lines = (r.stdout ?? "").trim().split("\n");
  let json: unknown = null;
  try { json = JSON.parse(lines[lines.length - 1]); } catch { json = null; }
  return { status: r.status, json, stderr: r.stderr ?? "", ms: Date.now() - t0 };
}

export const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";
/** Whether this Node accepts the relaxed-SIMD flag (or needs none). */
export function relaxedFlagWorks(): boolean {
  return spawnSync(process.execPath, [RELAXED_FLAG, "-e", "0"], { stdio: "ignore" }).status === 0;
}

export type GemmF32 = (
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number, accumulate: boolean,
) => unknown;

export const GEMM_TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [false, true], [true, false], [true, true]];

/**
 * Runs every [m, k, n] shape × transpose form × accumulate through `run` at non-zero offsets and checks it
 * against the float64 reference. Each element is a k-term float32 dot product (blocked over k), plus one
 * rounding for the accumulate: |error| <= (k + 2) u Σ|a·b| (+ 2u|c0|), u = 2^-24. Elements outside C are untouched.
 */
export function checkGemmAll(run: GemmF32, shapes: Array<[number, number, number]>, check: (ok: boolean, label: string, got: unknown, want: unknown) => void): void {
  for (const [m, k, n] of shapes) {
    for (const [tA, tB] of GEMM_TRANSPOSES) {
      for (const accumulate of [false, true]) {
        const a = filled(m * k + 3, m * 7 + k), b = filled(k * n + 5, n * 13 + k), c = filled(m * n + 9, 99);
        const c0 = c.slice();
        run(tA, tB, m, n, k, a, 3, b, 5, c, 7, accumulate);
        const { c: want, mag } = refGemm(tA, tB, m, n, k, a, 3, b, 5);
        if (accumulate) for (let i = 0; i < m * n; i++) want[i] += c0[7 + i];
        const allowed = (i: number): number => (k + 2) * EPS32 * (mag[i] + (accumulate ? Math.abs(c0[7 + i]) : 0)) + 1e-30;
        const label = `m=${m} k=${k} n=${n} transA=${tA} transB=${tB} accumulate=${accumulate}`;
        const ratio = worstRatio(c.subarray(7, 7 + m * n), want, allowed);
        check(ratio <= 1, `${label}: worst error / allowed = ${ratio}`, ratio, 1);
        const before = Array.from(c.subarray(0, 7)), after = Array.from(c.subarray(7 + m * n));
        check(JSON.stringify(before) === JSON.stringify(Array.from(c0.subarray(0, 7))), `${label}: elements before cOff untouched`, before, null);
        check(JSON.stringify(after) === JSON.stringify(Array.from(c0.subarray(7 + m * n))), `${label}: elements after C untouched`, after, null);
      }
    }
  }
}
