/**
 * The optional native GEMM: kernel-lib/dist/native/blas.node (built best-effort from kernel-lib/native/blas.c
 * against the system OpenBLAS, or Accelerate on macOS). Loaded lazily on first use; when it is absent or fails to
 * load, everything falls back to the WebAssembly kernels. KERNEL_LIB_BLAS=off disables it; KERNEL_LIB_BLAS=require makes its
 * absence an error (CI uses this so a broken native build cannot pass unnoticed).
 */

/** C[m,n] (+)= op(A)·op(B) on row-major Float32Arrays, exactly as gemm() in ./gemm.ts; C must not overlap A or B. */
export type NativeSgemm = (
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number, accumulate: boolean,
) => void;

export interface NativeBlasInfo {
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64"; "Apple Accelerate ..." on macOS */
  config: string;
  /** the kernel set OpenBLAS picked for this CPU at run time (DYNAMIC_ARCH), e.g. "Cooperlake" (AVX-512) */
  core: string;
  /** OpenBLAS threads in use (Accelerate picks its own: the number last set) */
  threads: number;
  /** processors OpenBLAS sees */
  cores: number;
  /** what the addon set malloc to when it loaded (glibc's thresholds, see blas.c tune_malloc); absent from older builds */
  malloc?: string;
  /**
   * the register-blocked kernels for products with a side of at most 16 (native/small_gemm.h): "avx512", or why they
   * are off ("off (this CPU has no AVX-512)", "off (KERNEL_LIB_SMALL_GEMM=off)"); absent from older builds
   */
  smallGemm?: string;
  /**
   * the AVX-512 kernels for products with no small side, on up to 2 threads (native/mid_gemm.h): "avx512", or why they
   * are off; absent from older builds
   */
  midGemm?: string;
}

/** Adam/AdamW coefficients, float64 as the optimizer computes them (the kernel rounds them to float32). */
export interface NativeAdamCoefficients {
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  /** L2 decay added to the gradient (Adam) or, with decoupled, a nonzero marker for AdamW */
  weightDecay: number;
  decoupled: boolean;
  /** p *= decay first when decoupled (AdamW: 1 - lr·wd) */
  decay: number;
  stepSize: number;
  bc2Sqrt: number;
}

interface Addon {
  sgemm: NativeSgemm;
  info(): NativeBlasInfo;
  setThreads(n: number): void;
  // absent from an addon built before they were added: the callers then fall back
  sgdStep?(param: Float32Array, grad: Float32Array, lr: number): void;
  adamStep?(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, oneMinusBeta1: number, beta2: number,
    oneMinusBeta2: number, eps: number, weightDecay: number, decoupled: boolean, decay: number, stepSize: number, bc2Sqrt: number): void;
  relu?(x: Float32Array, out: Float32Array): void;
  reluBackward?(gy: Float32Array, x: Float32Array, gx: Float32Array): void;
  gatherRows?(src: Float32Array, rowLength: number, indices: Int32Array, out: Float32Array): void;
}

/** Threads OpenBLAS may use. Two on the 2-core machine: the wasm workers sleep while a native product runs. */
const DEFAULT_THREADS = 2;
/**
 * Products below this many multiply-adds, or with m or n below 64, run on one OpenBLAS thread: measured
 * (bench/native_gemm.mjs) 12x512x784 takes 132 µs on one thread and 195 µs on two, while 512x784x12 takes
 * 94 µs on one and 54 µs on two; 128x256x12 (0.4 M) ties. (On a CPU with AVX-512 the addon runs products with a
 * side of at most 16 on its own one-thread kernels instead, whatever is set here: native/small_gemm.h; and the
 * other products up to 2^31 multiply-adds on its own kernels, on the 1 or 2 threads set here: native/mid_gemm.h.)
 */
const NATIVE_THREAD_MIN_MACS = 1 << 20;
const NATIVE_THREAD_MIN_SIDE = 64;

let loaded = false;
let maxThreads = DEFAULT_THREADS;
let currentThreads = 0;
let addon: Addon | null = null;
let loadError = "";
/** Switched off at run time by setNativeBlasEnabled(false) (tests that must exercise the WebAssembly kernels). */
let enabled = true;

function candidates(): string[] {
  const path: typeof import("node:path") = require("node:path");
  // compiled: dist/backends/cpu -> dist/native; from source (tests): src/backends/cpu -> dist/native
  return [path.join(__dirname, "..", "..", "native", "blas.node"), path.join(__dirname, "..", "..", "..", "dist", "native", "blas.node")];
}

function load(): Addon | null {
  if (loaded) return addon;
  loaded = true;
  const setting = typeof process !== "undefined" ? process.env.KERNEL_LIB_BLAS : undefined;
  if (setting === "off") {
    loadError = "disabled by KERNEL_LIB_BLAS=off";
    return null;
  }
  if (typeof process === "undefined" || !process.versions?.node) {
    loadError = "not running in Node";
  } else {
    const fs: typeof import("node:fs") = require("node:fs");
    for (const file of candidates()) {
      if (!fs.existsSync(file)) continue;
      try {
        addon = require(file) as Addon;
        maxThreads = threadSetting();
        addon.setThreads(maxThreads);
        currentThreads = maxThreads;
        break;
      } catch (e) {
        loadError = `${file} failed to load: ${(e as Error).message}`;
      }
    }
    if (!addon && !loadError) loadError = "kernel-lib/dist/native/blas.node not built (`npm run build -w kernel-lib` prints why)";
  }
  if (!addon && setting === "require") throw new Error(`native BLAS required by KERNEL_LIB_BLAS=require but unavailable: ${loadError}`);
  return addon;
}

function threadSetting(): number {
  const value = Number(process.env.KERNEL_LIB_BLAS_THREADS);
  return Number.isInteger(value) && value >= 1 ? value : DEFAULT_THREADS;
}

type OptionalKernels = "sgdStep" | "adamStep" | "relu" | "reluBackward" | "gatherRows";

/** An addon function added after the first builds, or null when the addon is disabled, absent or older than it. */
function optionalKernel<K extends OptionalKernels>(name: K): NonNullable<Addon[K]> | null {
  if (!enabled) return null;
  const lib = loaded ? addon : load();
  return lib?.[name] ?? null;
}

/** The native sgemm, or null when the addon is not available (never throws unless KERNEL_LIB_BLAS=require). */
export function nativeSgemm(): NativeSgemm | null {
  if (!enabled) return null;
  return loaded ? (addon ? addon.sgemm : null) : load()?.sgemm ?? null;
}

/**
 * The native sgemm with the thread count chosen by product size; false (nothing done) when the addon is absent.
 * Arguments are checked by the addon, which throws an Error naming the operand and sizes on misuse.
 */
export function nativeGemmF32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number, accumulate: boolean,
): boolean {
  if (!enabled) return false;
  const lib = loaded ? addon : load();
  if (!lib) return false;
  const threads = m * n * k >= NATIVE_THREAD_MIN_MACS && m >= NATIVE_THREAD_MIN_SIDE && n >= NATIVE_THREAD_MIN_SIDE ? maxThreads : 1;
  if (threads !== currentThreads) {
    lib.setThreads(threads);
    currentThreads = threads;
  }
  lib.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  return true;
}

/**
 * param -= lr·grad in place, rounded as plainSgdF32 in ./optim.ts (bit-identical); false (nothing done) when
 * the addon is absent or disabled. The addon throws on arrays of different lengths or shared memory.
 */
export function nativeSgdF32(param: Float32Array, grad: Float32Array, lr: number): boolean {
  const step = optionalKernel("sgdStep");
  if (!step) return false;
  step(param, grad, lr);
  return true;
}

/**
 * One Adam/AdamW step in place, operation for operation as the wasm kernel (wasm/fused.ts adamStep), without
 * copying the four arrays into wasm memory; false (nothing done) when the addon is absent or disabled.
 */
export function nativeAdamF32(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, c: NativeAdamCoefficients): boolean {
  const step = optionalKernel("adamStep");
  if (!step) return false;
  step(param, grad, m, v, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.eps, c.weightDecay, c.decoupled, c.decay, c.stepSize, c.bc2Sqrt);
  return true;
}

/**
 * out = max(x, 0) on the arrays' own memory (no copies into wasm memory), rounded as the wasm kernel; false
 * (nothing done) when the addon is absent or disabled. out is x or does not overlap it.
 */
export function nativeReluF32(x: Float32Array, out: Float32Array): boolean {
  const relu = optionalKernel("relu");
  if (!relu) return false;
  relu(x, out);
  return true;
}

/** gx = x > 0 ? gy : 0 (ReLU's derivative), as the wasm kernel; false when the addon is absent or disabled. */
export function nativeReluBackwardF32(gy: Float32Array, x: Float32Array, gx: Float32Array): boolean {
  const reluBackward = optionalKernel("reluBackward");
  if (!reluBackward) return false;
  reluBackward(gy, x, gx);
  return true;
}

/**
 * out = the rows `indices` of src (rows of rowLength floats; a negative index counts from the end), one memcpy a
 * row; false when the addon is absent or disabled. The addon throws on an index out of range.
 */
export function nativeGatherRowsF32(src: Float32Array, rowLength: number, indices: Int32Array, out: Float32Array): boolean {
  const gatherRows = optionalKernel("gatherRows");
  if (!gatherRows) return false;
  gatherRows(src, rowLength, indices, out);
  return true;
}

/** What the native path is: its BLAS configuration and threads, or why it is not used. */
export function nativeBlasInfo(): ({ available: true } & NativeBlasInfo) | { available: false; reason: string } {
  const a = load();
  return a ? { available: true, ...a.info() } : { available: false, reason: loadError };
}

/**
 * Turns the native path off (false) or back on (true) for this process, so products go to the WebAssembly
 * kernels; returns the previous setting. KERNEL_LIB_BLAS=off does the same from the environment.
 */
export function setNativeBlasEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Sets the OpenBLAS thread count (n >= 1); throws when the addon is not available. */
export function setNativeBlasThreads(n: number): void {
  const a = load();
  if (!a) throw new Error(`setNativeBlasThreads(${n}): native BLAS is not available (${loadError})`);
  a.setThreads(n);
  maxThreads = n;
  currentThreads = n;
}
