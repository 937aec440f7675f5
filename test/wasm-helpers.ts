// Helpers for the wasm kernel tests: deterministic data, float64 references, and a child Node process that runs
// the kernel loader (transpiled from source) with extra flags such as --experimental-wasm-relaxed-simd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import ts from "typescript";

export const EPS32 = 2 ** -24;

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
