/*
 * Register-blocked AVX-512 kernels for the products with one small side, included by blas.c. They replace OpenBLAS
 * where it is slow: a batch of 12 against a layer's weights (12x512x784 took 153 us in OpenBLAS's Haswell kernels,
 * which pack all of the 1.6 MB weight matrix on every call to reuse it across 12 rows only) and the weight gradient
 * with the batch as the inner side (512x784x12: 120 us on one thread, 72 on two). Neither form reuses enough of
 * its operands to pay for packing, so these read them in place:
 *
 *   dot form   (transA = 0, transB = 1, m <= SMALL_SIDE):  C[i,j] (+)= sum_p A[i,p] B[j,p]
 *              6 rows of A x 4 rows of B in 24 accumulators over k, one horizontal sum per output at the end.
 *   row form   (transB = 0, m or k <= SMALL_SIDE):          C[i,:] (+)= sum_p A(i,p) B[p,:]
 *              6 rows of C x 64 columns in 24 accumulators, one broadcast of A(i,p) per row and p.
 *
 * Each runs on one thread: products this thin finish before a second OpenBLAS thread pays for its hand-off (the
 * measurements are in bench/README.md, "Small-side kernels"); anything above SMALL_MAX_MACS goes to OpenBLAS's
 * threads. The sums are in another order than OpenBLAS's, so results differ from it by float32 rounding, as
 * OpenBLAS's own kernel sets differ from each other. Compiled for AVX-512 with function attributes and used only
 * when the CPU has it (checked once when the addon loads); elsewhere OpenBLAS runs every product, as before.
 * KERNEL_LIB_SMALL_GEMM=off turns them off (for comparisons).
 */
#ifndef KERNEL_LIB_SMALL_GEMM_H
#define KERNEL_LIB_SMALL_GEMM_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SMALL_SIDE = 16 };
#define SMALL_MAX_MACS ((int64_t)1 << 24)

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SMALL_GEMM_BUILT 1
#define AVX512_FN static __attribute__((target("avx512f")))
#define AVX512_BLOCK static inline __attribute__((always_inline, target("avx512f")))

AVX512_BLOCK __mmask16 lanes(int64_t count) { return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u); }

/* R rows of A against S rows of B (R <= 6, S <= 4, both constants once inlined): R x S dot products over k.
 * The unroll pragmas keep the accumulators in registers: without them GCC unrolled these loops too late and
 * stored every accumulator to the stack after each FMA (148 us for 12x512x784, OpenBLAS's time). */
AVX512_BLOCK void dot_block(const int R, const int S, const float* a, const float* b, float* c, int64_t k, int64_t n, int acc) {
  __m512 s[6][4];
  _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 4") for (int t = 0; t < S; t++) s[r][t] = _mm512_setzero_ps();
  for (int64_t p = 0; p < k; p += 16) {
    const __mmask16 live = lanes(k - p);
    __m512 bv[4];
    _Pragma("GCC unroll 4") for (int t = 0; t < S; t++) bv[t] = _mm512_maskz_loadu_ps(live, b + t * k + p);
    _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
      const __m512 av = _mm512_maskz_loadu_ps(live, a + r * k + p);
      _Pragma("GCC unroll 4") for (int t = 0; t < S; t++) s[r][t] = _mm512_fmadd_ps(av, bv[t], s[r][t]);
    }
  }
  _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 4") for (int t = 0; t < S; t++) {
      const float v = _mm512_reduce_add_ps(s[r][t]);
      c[r * n + t] = acc ? c[r * n + t] + v : v;
    }
}

#define DOT_CASE(R_, S_) case (R_) * 8 + (S_): dot_block(R_, S_, ap, bp, cp, k, n, acc); break;
#define DOT_ROW(R_) DOT_CASE(R_, 1) DOT_CASE(R_, 2) DOT_CASE(R_, 3) DOT_CASE(R_, 4)

/* C[m,n] (+)= A[m,k] B[n,k]^T. The 4 rows of B a column block reads stay in L1 while every row block of A passes. */
AVX512_FN void small_dot(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc) {
  for (int64_t j = 0; j < n; j += 4) {
    const int S = (int)(n - j < 4 ? n - j : 4);
    for (int64_t i = 0; i < m; i += 6) {
      const int R = (int)(m - i < 6 ? m - i : 6);
      const float* ap = a + i * k;
      const float* bp = b + j * k;
      float* cp = c + i * n + j;
      switch (R * 8 + S) { DOT_ROW(1) DOT_ROW(2) DOT_ROW(3) DOT_ROW(4) DOT_ROW(5) DOT_ROW(6) }
    }
  }
}

/* R rows of C by W vectors of 16 columns (R <= 6, W <= 4, constants once inlined), the last vector holding `last`
 * lanes: C[i, cols] (+)= sum_p A(i,p) B[p, cols], where A(i,p) = a[i*si + p*sp]. */
AVX512_BLOCK void row_block(const int R, const int W, const float* a, int64_t si, int64_t sp, const float* b, float* c,
                            int64_t k, int64_t n, __mmask16 last, int acc) {
  __m512 s[6][4];
  __mmask16 mask[4];
  _Pragma("GCC unroll 4") for (int w = 0; w < W; w++) mask[w] = w == W - 1 ? last : (__mmask16)0xFFFF;
  _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 4") for (int w = 0; w < W; w++) s[r][w] = _mm512_setzero_ps();
  for (int64_t p = 0; p < k; p++) {
    __m512 bv[4];
    _Pragma("GCC unroll 4") for (int w = 0; w < W; w++) bv[w] = _mm512_maskz_loadu_ps(mask[w], b + p * n + 16 * w);
    _Pragma("GCC unroll 6") for (int r = 0; r < R; r++) {
      const __m512 coef = _mm512_set1_ps(a[r * si + p * sp]);
      _Pragma("GCC unroll 4") for (int w = 0; w < W; w++) s[r][w] = _mm512_fmadd_ps(coef, bv[w], s[r][w]);
    }
  }
  _Pragma("GCC unroll 6") for (int r = 0; r < R; r++)
    _Pragma("GCC unroll 4") for (int w = 0; w < W; w++) {
      float* out = c + r * n + 16 * w;
      __m512 v = s[r][w];
      if (acc) v = _mm512_add_ps(_mm512_maskz_loadu_ps(mask[w], out), v);
      _mm512_mask_storeu_ps(out, mask[w], v);
    }
}

#define ROW_CASE(R_, W_) case (R_) * 8 + (W_): row_block(R_, W_, ap, si, sp, bp, cp, k, n, last, acc); break;
#define ROW_ROW(R_) ROW_CASE(R_, 1) ROW_CASE(R_, 2) ROW_CASE(R_, 3) ROW_CASE(R_, 4)

/* C[m,n] (+)= op(A) B[k,n] with A(i,p) = a[i*si + p*sp]. Column blocks outside, so the k x 64 slab of B a block
 * reads stays in cache while every row block of C passes over it. */
AVX512_FN void small_rows(int64_t m, int64_t n, int64_t k, const float* a, int64_t si, int64_t sp, const float* b, float* c, int acc) {
  for (int64_t j = 0; j < n; j += 64) {
    const int64_t cols = n - j < 64 ? n - j : 64;
    const int W = (int)((cols + 15) / 16);
    const __mmask16 last = lanes(cols - 16 * (W - 1));
    for (int64_t i = 0; i < m; i += 6) {
      const int R = (int)(m - i < 6 ? m - i : 6);
      const float* ap = a + i * si;
      const float* bp = b + j;
      float* cp = c + i * n + j;
      switch (R * 8 + W) { ROW_ROW(1) ROW_ROW(2) ROW_ROW(3) ROW_ROW(4) ROW_ROW(5) ROW_ROW(6) }
    }
  }
}
#endif

/* What the small-side kernels are: "avx512", or why they are not used. Set once by small_gemm_init. */
static const char* small_gemm_setting = "not built for this CPU architecture";
static int small_gemm_on = 0;

static void small_gemm_init(void) {
#ifdef SMALL_GEMM_BUILT
  const char* choice = getenv("KERNEL_LIB_SMALL_GEMM");
  if (choice && strcmp(choice, "off") == 0) {
    small_gemm_setting = "off (KERNEL_LIB_SMALL_GEMM=off)";
    return;
  }
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    small_gemm_setting = "off (this CPU has no AVX-512)";
    return;
  }
  small_gemm_on = 1;
  small_gemm_setting = "avx512";
#endif
}

/* Runs C[m,n] (+)= op(A) op(B) (row-major, contiguous, as blas.c's sgemm) when a small-side kernel covers it;
 * returns 0, having done nothing, when OpenBLAS should. */
static int small_gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc) {
#ifdef SMALL_GEMM_BUILT
  if (!small_gemm_on || m * n * k > SMALL_MAX_MACS) return 0;
  if (!ta && tb && m <= SMALL_SIDE) {
    small_dot(m, n, k, a, b, c, acc);
    return 1;
  }
  if (!tb && (m <= SMALL_SIDE || k <= SMALL_SIDE)) {
    small_rows(m, n, k, a, ta ? 1 : k, ta ? m : 1, b, c, acc);
    return 1;
  }
#else
  (void)ta; (void)tb; (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; (void)acc;
#endif
  return 0;
}
#endif
