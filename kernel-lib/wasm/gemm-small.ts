// GEMM forms with one small side, read in place (no packing), for gemmRange in ./gemm.ts. The packed 4x8 kernel
// pays for packing and for a C tile's load and store on every k block; with a batch of 12 those costs are not
// spread over enough work: 12x512x784 (a batch of 12 against the first layer) packs and transposes the whole 1.6 MB
// weight matrix to reuse it over 12 rows, and 512x784x12 (its weight gradient) stores every tile after 12 steps.
//   dot form  (A [m,k], B stored [n,k], m or n <= SMALL_SIDE): C[i,j] = sum_p A[i,p] B[j,p], a 3x3 block of outputs
//             in 9 f32x4 accumulators over k, one horizontal sum per output.
//   row form  (B [k,n], m or k <= SMALL_SIDE): C[i,j..j+8] = sum_p A(i,p) B[p,j..j+8], 4 rows x 8 columns in 8
//             accumulators, one broadcast of A(i,p) per row and p (A(i,p) is A[i,p], or A[p,i] when transposed).
// 16 xmm registers: 9 accumulators + 3 B rows + 1 A row, and 8 + 2 + 1. Results differ from the packed kernel's by
// float32 rounding (another summation order). Flags are ./epilogue.ts's, applied after the whole k sum.
import { hsum, madd } from "./simd";
import { epilogue, epilogue1, store4x8 } from "./epilogue";

export const SMALL_SIDE: i32 = 16;

// @ts-ignore: decorator
@inline function finish(v: f32, c: usize, bias: usize, flags: i32): void {
  store<f32>(c, epilogue1(v, c, bias, flags));
}

// @ts-ignore: decorator
@inline function finish4(acc: v128, c: usize, bias: usize, flags: i32): void {
  v128.store(c, epilogue(acc, c, bias, flags));
}

/** Rows i..i+2 of A against rows j..j+2 of B: nine dot products over k. */
function dot3x3(k: i32, a: usize, b: usize, ld: usize, c: usize, ldc: usize, bias: usize, flags: i32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s22 = f32x4.splat(0);
  const k4 = k & ~3;
  const a1 = a + ld, a2 = a + 2 * ld, b1 = b + ld, b2 = b + 2 * ld;
  for (let p: usize = 0; p < <usize>k4 << 2; p += 16) {
    const v0 = v128.load(b + p), v1 = v128.load(b1 + p), v2 = v128.load(b2 + p);
    let x = v128.load(a + p);
    s00 = madd(x, v0, s00); s01 = madd(x, v1, s01); s02 = madd(x, v2, s02);
    x = v128.load(a1 + p);
    s10 = madd(x, v0, s10); s11 = madd(x, v1, s11); s12 = madd(x, v2, s12);
    x = v128.load(a2 + p);
    s20 = madd(x, v0, s20); s21 = madd(x, v1, s21); s22 = madd(x, v2, s22);
  }
  let t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12);
  let t20 = hsum(s20), t21 = hsum(s21), t22 = hsum(s22);
  for (let p = k4; p < k; p++) {
    const o = <usize>p << 2;
    const w0 = load<f32>(b + o), w1 = load<f32>(b1 + o), w2 = load<f32>(b2 + o);
    const x0 = load<f32>(a + o), x1 = load<f32>(a1 + o), x2 = load<f32>(a2 + o);
    t00 += x0 * w0; t01 += x0 * w1; t02 += x0 * w2;
    t10 += x1 * w0; t11 += x1 * w1; t12 += x1 * w2;
    t20 += x2 * w0; t21 += x2 * w1; t22 += x2 * w2;
  }
  finish(t00, c, bias, flags); finish(t01, c + 4, bias + 4, flags); finish(t02, c + 8, bias + 8, flags);
  c += ldc;
  finish(t10, c, bias, flags); finish(t11, c + 4, bias + 4, flags); finish(t12, c + 8, bias + 8, flags);
  c += ldc;
  finish(t20, c, bias, flags); finish(t21, c + 4, bias + 4, flags); finish(t22, c + 8, bias + 8, flags);
}

/**
 * One dot product over k (the edges of the 3x3 blocks), in dot3x3's order for each output, so that how gemmRange's
 * callers split the columns over threads never changes a result.
 */
function dot1(k: i32, a: usize, b: usize): f32 {
  let s = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p: usize = 0; p < <usize>k4 << 2; p += 16) s = madd(v128.load(a + p), v128.load(b + p), s);
  let t = hsum(s);
  for (let q = k4; q < k; q++) t += load<f32>(a + (<usize>q << 2)) * load<f32>(b + (<usize>q << 2));
  return t;
}

/** Columns [n0, n1) of C[m,n] = A[m,k] B[n,k]^T, m or n at most SMALL_SIDE. */
export function smallDot(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, n0: i32, n1: i32, bias: usize, flags: i32): void {
  const ld = <usize>k << 2, ldc = <usize>n << 2;
  for (let j = n0; j < n1; j += 3) {
    const s = min(3, n1 - j);
    const bj = b + <usize>j * ld, cj = c + (<usize>j << 2), biasJ = bias + (<usize>j << 2);
    for (let i = 0; i < m; i += 3) {
      const r = min(3, m - i);
      const ai = a + <usize>i * ld, ci = cj + <usize>i * ldc;
      if (r == 3 && s == 3) {
        dot3x3(k, ai, bj, ld, ci, ldc, biasJ, flags);
      } else {
        for (let x = 0; x < r; x++) {
          for (let y = 0; y < s; y++) {
            finish(dot1(k, ai + <usize>x * ld, bj + <usize>y * ld), ci + <usize>x * ldc + (<usize>y << 2), biasJ + (<usize>y << 2), flags);
          }
        }
      }
    }
  }
}

/** Rows i..i+3 by columns j..j+7: C[i+r, j..j+8] = sum_p A(i+r, p) B[p, j..j+8]; a points at A(i, 0). */
function rows4x8(k: i32, a: usize, si: usize, sp: usize, b: usize, ldb: usize, c: usize, ldc: usize, bias: usize, flags: i32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const v0 = v128.load(b), v1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    s00 = madd(x, v0, s00); s01 = madd(x, v1, s01);
    x = v128.load32_splat(a + si);
    s10 = madd(x, v0, s10); s11 = madd(x, v1, s11);
    x = v128.load32_splat(a + 2 * si);
    s20 = madd(x, v0, s20); s21 = madd(x, v1, s21);
    x = v128.load32_splat(a + 3 * si);
    s30 = madd(x, v0, s30); s31 = madd(x, v1, s31);
    a += sp; b += ldb;
  }
  store4x8(c, ldc, bias, flags, s00, s01, s10, s11, s20, s21, s30, s31);
}

/** One row by columns j..j+7 (the rows left below a multiple of 4). */
function rows1x8(k: i32, a: usize, sp: usize, b: usize, ldb: usize, c: usize, bias: usize, flags: i32): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a);
    s0 = madd(x, v128.load(b), s0); s1 = madd(x, v128.load(b, 16), s1);
    a += sp; b += ldb;
  }
  finish4(s0, c, bias, flags); finish4(s1, c + 16, bias + 16, flags);
}

/**
 * Columns [n0, n1) of C[m,n] = op(A) B[k,n] where A(i,p) = A[i*k + p], or A[p*m + i] when transA; for m or k at
 * most SMALL_SIDE. Column blocks outside, so the k x 8 slab of B a block reads stays in L1 across the rows.
 */
export function smallRows(transA: bool, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, n0: i32, n1: i32, bias: usize, flags: i32): void {
  const si: usize = transA ? 4 : <usize>k << 2, sp: usize = transA ? <usize>m << 2 : 4;
  const ldb = <usize>n << 2, ldc = ldb;
  const m4 = m & ~3;
  let j = n0;
  for (; j + 8 <= n1; j += 8) {
    const bj = b + (<usize>j << 2), cj = c + (<usize>j << 2), biasJ = bias + (<usize>j << 2);
    let i = 0;
    for (; i < m4; i += 4) rows4x8(k, a + <usize>i * si, si, sp, bj, ldb, cj + <usize>i * ldc, ldc, biasJ, flags);
    for (; i < m; i++) rows1x8(k, a + <usize>i * si, sp, bj, ldb, cj + <usize>i * ldc, biasJ, flags);
  }
  // the last columns (fewer than 8), one at a time
  for (; j < n1; j++) {
    for (let i = 0; i < m; i++) {
      let t: f32 = 0;
      let ap = a + <usize>i * si, bp = b + (<usize>j << 2);
      for (let p = 0; p < k; p++) {
        t += load<f32>(ap) * load<f32>(bp);
        ap += sp; bp += ldb;
      }
      finish(t, c + <usize>i * ldc + (<usize>j << 2), bias + (<usize>j << 2), flags);
    }
  }
}
