/**
 * The single matrix-product entry point of the CPU backend (a WebAssembly SIMD kernel plugs in behind it).
 *
 *   C[m×n] (+)= op(A) · op(B),  op(A) = transA ? Aᵀ : A,  all row-major and contiguous:
 *   A is m×k (k×m if transA), B is k×n (n×k if transB), C is m×n, each starting at its offset.
 *
 * One loop nest covers the four cases without materializing a transpose: op(A) and op(B) are read
 * through (row, column) strides, so A·Bᵀ and Aᵀ·B (what backward needs) cost the same as A·B.
 * The nest is blocked over k (KB) and n (NB) so the B panel stays in cache, and computes 4×4 tiles of C
 * in registers: 8 loads per 16 multiply-adds, and C is read and written once per k-block.
 * float32 products go to the native OpenBLAS sgemm when its addon is built (./native.ts), else to the WebAssembly
 * SIMD kernel when the runtime has one (float64 stays here). The native path runs every size: it beats the wasm
 * kernel even on the smallest products of the MNIST recipes (10x64x12: 0.4 µs vs 1.5 µs, bench/native_gemm.mjs).
 */
import { nativeGemmF32, nativeSgemm } from "./native";
import { wasmGemmF32, wasmLinearF32 } from "./wasm/gemm";
import { getRuntime } from "./wasm/runtime";

export type FloatArray = Float32Array | Float64Array;

const KB = 128; // k-block: the slice of op(B) rows kept hot
const NB = 256; // n-block: columns of C touched per pass

export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOffset: number, b: FloatArray, bOffset: number, c: FloatArray, cOffset: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (c instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && k > 0) {
    // BLAS writes C while reading A and B, so a C sharing storage with an operand takes the copying wasm path
    if (c.buffer !== a.buffer && c.buffer !== b.buffer && nativeGemmF32(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate)) return;
  }
  if (k > 0 && c instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && getRuntime()) {
    wasmGemmF32(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    return;
  }
  // A(i, p) = a[aOffset + i * sai + p * sap]
  const sai = transA ? 1 : k;
  const sap = transA ? m : 1;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  // B(p, j) = b[bOffset + p * sbp + j * sbj]
  const sbp = transB ? 1 : n;
  const sbj = transB ? k : 1;
  tiled(m, n, k, a, aOffset, sai, sap, b, bOffset, sbp, sbj, c, cOffset, accumulate);
}

/**
 * Linear forward out[batch,outF] = x[batch,inF]·w[outF,inF]ᵀ + bias (then ReLU when relu is set) on the native
 * sgemm (bias rows written first, then accumulated into, so the bias is added after the dot product as the wasm
 * kernel does), else on wasmLinearF32, which checks the arguments.
 */
export function linearF32(
  x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array,
  batch: number, inFeatures: number, outFeatures: number, relu: boolean,
): void {
  const sizesOk = x.length === batch * inFeatures && w.length === outFeatures * inFeatures && out.length === batch * outFeatures &&
    (!bias || bias.length === outFeatures) && inFeatures > 0;
  if (sizesOk && nativeSgemm() && out.buffer !== x.buffer && out.buffer !== w.buffer && (!bias || bias.buffer !== out.buffer)) {
    if (bias) for (let r = 0; r < batch; r++) out.set(bias, r * outFeatures);
    if (nativeGemmF32(false, true, batch, outFeatures, inFeatures, x, 0, w, 0, out, 0, bias !== null)) {
      if (relu) for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
      return;
    }
  }
  wasmLinearF32(x, w, bias, out, batch, inFeatures, outFeatures, relu);
}

function tiled(
  m: number, n: number, k: number, a: FloatArray, aOff: number, sai: number, sap: number,
  b: FloatArray, bOff: number, sbp: number, sbj: number, c: FloatArray, cOff: number, accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    for (let j0 = 0; j0 < n; j0 += NB) {
      const j1 = Math.min(n4, j0 + NB);
      // 4x4 register tiles: 8 loads per 16 multiply-adds, C touched once per p-block
      for (let i = 0; i < m4; i += 4) {
        const r0 = cOff + i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        const ai = aOff + i * sai;
        for (let j = j0; j < j1; j += 4) {
          let c00 = c[r0 + j], c01 = c[r0 + j + 1], c02 = c[r0 + j + 2], c03 = c[r0 + j + 3];
          let c10 = c[r1 + j], c11 = c[r1 + j + 1], c12 = c[r1 + j + 2], c13 = c[r1 + j + 3];
          let c20 = c[r2 + j], c21 = c[r2 + j + 1], c22 = c[r2 + j + 2], c23 = c[r2 + j + 3];
          let c30 = c[r3 + j], c31 = c[r3 + j + 1], c32 = c[r3 + j + 2], c33 = c[r3 + j + 3];
          for (let p = p0; p < p1; p++) {
            const ap = ai + p * sap;
            const x0 = a[ap], x1 = a[ap + sai], x2 = a[ap + 2 * sai], x3 = a[ap + 3 * sai];
            const bp = bOff + p * sbp + j * sbj;
            const y0 = b[bp], y1 = b[bp + sbj], y2 = b[bp + 2 * sbj], y3 = b[bp + 3 * sbj];
            c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
            c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
            c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
            c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
          }
          c[r0 + j] = c00; c[r0 + j + 1] = c01; c[r0 + j + 2] = c02; c[r0 + j + 3] = c03;
          c[r1 + j] = c10; c[r1 + j + 1] = c11; c[r1 + j + 2] = c12; c[r1 + j + 3] = c13;
          c[r2 + j] = c20; c[r2 + j + 1] = c21; c[r2 + j + 2] = c22; c[r2 + j + 3] = c23;
          c[r3 + j] = c30; c[r3 + j + 1] = c31; c[r3 + j + 2] = c32; c[r3 + j + 3] = c33;
        }
      }
    }
    // edges: leftover rows (all columns) and leftover columns (tiled rows)
    for (let i = 0; i < m; i++) {
      const jStart = i < m4 ? n4 : 0;
      if (jStart >= n) continue;
      const ci = cOff + i * n;
      for (let p = p0; p < p1; p++) {
        const x = a[aOff + i * sai + p * sap];
        const bp = bOff + p * sbp;
        for (let j = jStart; j < n; j++) c[ci + j] += x * b[bp + j * sbj];
      }
    }
  }
}
