// float32 GEMM and the fused Linear forward on the wasm kernels, with the TypeScript fallback.
import { checkDims, checkFloat32, checkSpan } from "./check";
import { gemmF32Ts } from "./fallback";
import { getRuntime, WasmRuntime } from "./runtime";
import { MAX_CHUNKS, readyWorkerCount, threadPool } from "./threads";

/**
 * Products with fewer multiply-adds than this stay on the calling thread: waking a worker costs tens of µs. Measured
 * with a worker against without (2026-12-04, best of 7x200 calls): at 1.57 M (12x512x256, 96x128x128) two threads
 * tie or lose by 13-25 µs (74-105 µs on one); at 2.1 M (64x512x64, 256x256x32) they win by 14-23 µs.
 */
export const THREAD_MIN_MACS = 1 << 21;
/**
 * From this many multiply-adds on (a chunk then takes 100 µs or more) a product is cut into CHUNKS_PER_THREAD chunks
 * per thread, so that a thread held up (woken late, or its core taken) leaves some of its share to the others. Each
 * chunk packs its A panels again: measured on one thread (AMD EPYC), 256x256x784 as 1 / 2 / 4 / 8 column chunks took
 * 2098 / 2111 / 2150 / 2228 µs in all.
 */
export const SPLIT_FINE_MACS = 1 << 24;
const CHUNKS_PER_THREAD = 2;
const NR = 8;

type F32 = Float32Array;

/**
 * C[m,n] (+)= op(A)[m,k]·op(B)[k,n] on row-major Float32Arrays at the given offsets; op transposes when the flag
 * is set (A stored [k,m], B stored [n,k]). Synchronous; uses the worker threads for large products.
 */
export function wasmGemmF32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: F32, aOff: number, b: F32, bOff: number, c: F32, cOff: number, accumulate: boolean,
): void {
  checkGemm("wasmGemmF32", transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
  const rt = getRuntime();
  if (!rt) return gemmF32Ts(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  runGemm(rt, transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, null, false);
}

/**
 * Linear forward in one pass over the output: out[batch,outF] = x[batch,inF]·w[outF,inF]ᵀ + bias, then ReLU when
 * relu is set. bias may be null. The ReLU output doubles as the mask for the backward pass (out > 0).
 */
export function wasmLinearF32(
  x: F32, w: F32, bias: F32 | null, out: F32, batch: number, inFeatures: number, outFeatures: number, relu: boolean,
): void {
  const op = "wasmLinearF32";
  checkDims(op, { batch, inFeatures, outFeatures });
  checkFloat32(op, "x", x); checkFloat32(op, "w", w); checkFloat32(op, "out", out);
  checkExact(op, "x", x, batch * inFeatures, `[${batch},${inFeatures}]`);
  checkExact(op, "w", w, outFeatures * inFeatures, `[${outFeatures},${inFeatures}]`);
  checkExact(op, "out", out, batch * outFeatures, `[${batch},${outFeatures}]`);
  if (bias) {
    checkFloat32(op, "bias", bias);
    checkExact(op, "bias", bias, outFeatures, `[${outFeatures}]`);
  }
  const rt = getRuntime();
  if (!rt) return gemmF32Ts(false, true, batch, outFeatures, inFeatures, x, 0, w, 0, out, 0, false, bias, relu);
  runGemm(rt, false, true, batch, outFeatures, inFeatures, x, 0, w, 0, out, 0, false, bias, relu);
}

function checkExact(op: string, name: string, a: ArrayLike<number>, n: number, shape: string): void {
  if (a.length !== n) throw new Error(`${op}: ${name} must have ${n} elements for shape ${shape}, got ${a.length}`);
}

function checkGemm(
  op: string, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: F32, aOff: number, b: F32, bOff: number, c: F32, cOff: number,
): void {
  checkDims(op, { m, n, k });
  checkFloat32(op, "a", a); checkFloat32(op, "b", b); checkFloat32(op, "c", c);
  checkSpan(op, "a", a, aOff, m * k, transA ? `(stored [${k},${m}], transposed)` : `([${m},${k}])`);
  checkSpan(op, "b", b, bOff, k * n, transB ? `(stored [${n},${k}], transposed)` : `([${k},${n}])`);
  checkSpan(op, "c", c, cOff, m * n, `([${m},${n}])`);
}

function runGemm(
  rt: WasmRuntime, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: F32, aOff: number, b: F32, bOff: number, c: F32, cOff: number, accumulate: boolean, bias: F32 | null, relu: boolean,
): void {
  if (m === 0 || n === 0) return;
  rt.resetArena();
  // Operands already in wasm memory (a parameter's resident storage) are read in place; C always goes through the
  // arena, so it never aliases them.
  const aRes = rt.residentOffset(a), bRes = rt.residentOffset(b), biasRes = bias ? rt.residentOffset(bias) : -1;
  const aPtr = aRes >= 0 ? aRes + aOff * 4 : rt.alloc(m * k * 4), bPtr = bRes >= 0 ? bRes + bOff * 4 : rt.alloc(k * n * 4);
  const cPtr = rt.alloc(m * n * 4);
  const biasPtr = !bias ? 0 : biasRes >= 0 ? biasRes : rt.alloc(n * 4);
  rt.reserve();
  const heap = rt.f32();
  if (aRes < 0) heap.set(a.subarray(aOff, aOff + m * k), aPtr >> 2);
  if (bRes < 0) heap.set(b.subarray(bOff, bOff + k * n), bPtr >> 2);
  if (accumulate) heap.set(c.subarray(cOff, cOff + m * n), cPtr >> 2);
  if (bias && biasRes < 0) heap.set(bias, biasPtr >> 2);
  const args = [+transA, +transB, m, n, k, aPtr, bPtr, cPtr, +accumulate, biasPtr, +relu];
  const pool = m * n * k >= THREAD_MIN_MACS ? threadPool(rt) : null;
  const helpers = pool ? pool.readySlots().length : 0;
  const threads = 1 + helpers;
  const bounds = columnBounds(n, m * n * k >= SPLIT_FINE_MACS ? CHUNKS_PER_THREAD * threads : threads);
  if (pool && helpers > 0 && bounds.length > 2) {
    pool.gemm(args, bounds, Math.min(helpers, bounds.length - 2));
  } else {
    const [sa, sb, tmp] = rt.slot(0);
    rt.exports.gemmRange(args[0], args[1], m, n, k, aPtr, bPtr, cPtr, args[8], biasPtr, args[10], 0, n, sa, sb, tmp);
  }
  c.set(rt.f32().subarray(cPtr >> 2, (cPtr >> 2) + m * n), cOff);
}

/**
 * Boundaries splitting [0,n) into at most `parts` column chunks whose edges are multiples of the register tile width
 * (chunk i is [b[i], b[i+1])).
 */
function columnBounds(n: number, parts: number): number[] {
  const tiles = Math.ceil(n / NR);
  const count = Math.max(1, Math.min(parts, tiles, MAX_CHUNKS));
  const bounds = [0];
  for (let i = 1; i <= count; i++) {
    const edge = i === count ? n : Math.min(n, Math.floor((tiles * i) / count) * NR);
    if (edge > bounds[bounds.length - 1]) bounds.push(edge);
  }
  return bounds;
}

export { readyWorkerCount };
