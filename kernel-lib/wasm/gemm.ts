// Packed-panel GEMM on f32 (BLIS loop order): C[m,n] (+)= op(A)[m,k] · op(B)[k,n], row-major, byte pointers.
// op(A) is A, or A stored [k,m] when transA; op(B) is B, or B stored [n,k] when transB.
// A 4x8 register tile (8 f32x4 accumulators) leaves room for 2 B vectors and 1 broadcast in 16 xmm registers.
import { madd } from "./simd";
import { EPI_ACC, EPI_BIAS, EPI_RELU, epilogue1, store4x8 } from "./epilogue";
import { SMALL_SIDE, smallDot, smallRows } from "./gemm-small";

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 96;
export const NC: i32 = 1024;

/** Bytes of scratch one thread needs for its packed panels. */
export function packBytesA(): i32 { return MC * KC * 4; }
export function packBytesB(): i32 { return KC * NC * 4; }

/**
 * Below this many rows B is read in place (row stride n) instead of packed: each B sliver is then used by
 * at most a few A slivers, so a packing pass would cost more than it saves.
 */
const PACK_B_MIN_M: i32 = 24;

// Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide slivers, k-major inside a sliver, zero-padded to NR columns.
function packB(transB: bool, n: i32, k: i32, b: usize, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const w = min(NR, nc - j);
    if (!transB) {
      let src = b + ((<usize>pc * n + jc + j) << 2);
      const ld = <usize>n << 2;
      if (w == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += 32; src += ld;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < NR; q++) store<f32>(dst + (q << 2), q < w ? load<f32>(src + (q << 2)) : 0);
          dst += 32; src += ld;
        }
      }
    } else {
      // B stored [n,k]: column j of op(B) is row j of storage, contiguous in p.
      const ld = <usize>k << 2;
      const src = b + ((<usize>(jc + j) * k + pc) << 2);
      if (w == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          // Two 4x4 transposes: rows j..j+3 and j+4..j+7, columns p..p+3.
          const s = src + (<usize>p << 2);
          const r0 = v128.load(s), r1 = v128.load(s + ld), r2 = v128.load(s + 2 * ld), r3 = v128.load(s + 3 * ld);
          const r4 = v128.load(s + 4 * ld), r5 = v128.load(s + 5 * ld), r6 = v128.load(s + 6 * ld), r7 = v128.load(s + 7 * ld);
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          const u0 = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5), u1 = v128.shuffle<f32>(r6, r7, 0, 4, 1, 5);
          const u2 = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7), u3 = v128.shuffle<f32>(r6, r7, 2, 6, 3, 7);
          v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(dst, v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), 16);
          v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
          v128.store(dst, v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), 48);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
          v128.store(dst, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), 80);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
          v128.store(dst, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), 112);
          dst += 128;
        }
        for (; p < kc; p++) {
          for (let q = 0; q < NR; q++) store<f32>(dst + (q << 2), load<f32>(src + <usize>q * ld + (<usize>p << 2)));
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let q = 0; q < NR; q++) {
            store<f32>(dst + (q << 2), q < w ? load<f32>(src + <usize>q * ld + (<usize>p << 2)) : 0);
          }
          dst += 32;
        }
      }
    }
  }
}

// Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-tall slivers, k-major inside a sliver, zero-padded to MR rows.
function packA(transA: bool, m: i32, k: i32, a: usize, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const h = min(MR, mc - i);
    if (transA) {
      // A stored [k,m]: the MR rows of a k-step are contiguous.
      let src = a + ((<usize>pc * m + ic + i) << 2);
      const ld = <usize>m << 2;
      if (h == MR) {
        for (let p = 0; p < kc; p++) { v128.store(dst, v128.load(src)); dst += 16; src += ld; }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) store<f32>(dst + (r << 2), r < h ? load<f32>(src + (r << 2)) : 0);
          dst += 16; src += ld;
        }
      }
    } else {
      const ld = <usize>k << 2;
      const src = a + ((<usize>(ic + i) * k + pc) << 2);
      if (h == MR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const s = src + (<usize>p << 2);
          const r0 = v128.load(s), r1 = v128.load(s + ld), r2 = v128.load(s + 2 * ld), r3 = v128.load(s + 3 * ld);
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
          v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
          dst += 64;
        }
        for (; p < kc; p++) {
          for (let r = 0; r < MR; r++) store<f32>(dst + (r << 2), load<f32>(src + <usize>r * ld + (<usize>p << 2)));
          dst += 16;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(dst + (r << 2), r < h ? load<f32>(src + <usize>r * ld + (<usize>p << 2)) : 0);
          }
          dst += 16;
        }
      }
    }
  }
}

/**
 * 4x8 tile: packed A sliver (16 bytes per k), B sliver with ldb bytes per k (32 when packed, n*4 in place).
 * Writes the full 4x8 tile to c with row stride ldc bytes; bias points at this tile's 8 bias values.
 * Not unrolled on purpose: V8 compiled a k-unrolled copy (by 4, and by 2) into code that ran the packed
 * products at 19-27 GFLOP/s on one AMD EPYC (Zen 4) thread, where this loop runs them at 45-49 (128-bit peak 58).
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, ldb: usize, c: usize, ldc: usize, bias: usize, flags: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += ldb;
  }
  store4x8(c, ldc, bias, flags, c00, c01, c10, c11, c20, c21, c30, c31);
}

// Scalar epilogue for the valid part of an edge tile computed into tmp (row stride 32 bytes).
function storeEdge(tmp: usize, c: usize, ldc: usize, h: i32, w: i32, bias: usize, flags: i32): void {
  for (let r = 0; r < h; r++) {
    for (let q = 0; q < w; q++) {
      const dst = c + <usize>r * ldc + (q << 2);
      store<f32>(dst, epilogue1(load<f32>(tmp + (<usize>r << 5) + (q << 2)), dst, bias + (q << 2), flags));
    }
  }
}

/**
 * Computes columns [n0, n1) of C. scratchA/scratchB hold this thread's packed panels; tmp is 128 bytes
 * for edge tiles. bias (0 for none) holds n floats added to every row after the full k sum; relu clamps then.
 * When B is read in place and n1 - n0 is not a multiple of NR, B needs NR-4 readable floats past its end
 * on the last row: the caller leaves that slack.
 */
export function gemmRange(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize,
  accumulate: bool, bias: usize, relu: bool, n0: i32, n1: i32, scratchA: usize, scratchB: usize, tmp: usize,
): void {
  const ldc = <usize>n << 2;
  if (k == 0) {
    const flags = (accumulate ? EPI_ACC : 0) | (bias ? EPI_BIAS : 0) | (relu ? EPI_RELU : 0);
    for (let i = 0; i < 8; i++) store<f32>(tmp + (<usize>i << 2), 0);
    for (let i = 0; i < m; i++) {
      for (let j = n0; j < n1; j++) storeEdge(tmp, c + <usize>i * ldc + (<usize>j << 2), ldc, 1, 1, bias + (<usize>j << 2), flags);
    }
    return;
  }
  // One small side: the in-place kernels of ./gemm-small.ts (no packing, the epilogue after the whole k sum).
  if ((!transA && transB && (m <= SMALL_SIDE || n <= SMALL_SIDE)) || (!transB && (m <= SMALL_SIDE || k <= SMALL_SIDE))) {
    const flags = (accumulate ? EPI_ACC : 0) | (bias ? EPI_BIAS : 0) | (relu ? EPI_RELU : 0);
    if (transB) smallDot(m, n, k, a, b, c, n0, n1, bias, flags);
    else smallRows(transA, m, n, k, a, b, c, n0, n1, bias, flags);
    return;
  }
  const packBPanel = transB || m >= PACK_B_MIN_M;
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const last = pc + kc == k;
      const flags = (accumulate || pc > 0 ? EPI_ACC : 0) | (last && bias ? EPI_BIAS : 0) | (last && relu ? EPI_RELU : 0);
      if (packBPanel) packB(transB, n, k, b, pc, kc, jc, nc, scratchB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, m, k, a, ic, mc, pc, kc, scratchA);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = min(NR, nc - jr);
          const col = jc + jr;
          const pb = packBPanel ? scratchB + (<usize>jr * kc << 2) : b + ((<usize>pc * n + col) << 2);
          const ldb: usize = packBPanel ? 32 : ldc;
          const biasCol = bias + (<usize>col << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const h = min(MR, mc - ir);
            const pa = scratchA + (<usize>ir * kc << 2);
            const cTile = c + <usize>(ic + ir) * ldc + (<usize>col << 2);
            if (h == MR && w == NR) {
              kernel4x8(kc, pa, pb, ldb, cTile, ldc, biasCol, flags);
            } else {
              kernel4x8(kc, pa, pb, ldb, tmp, 32, 0, 0);
              storeEdge(tmp, cTile, ldc, h, w, biasCol, flags);
            }
          }
        }
      }
    }
  }
}
