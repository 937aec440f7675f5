/*
 * Register-blocked kernels for the products with one small side, included by blas.c. They replace OpenBLAS where it
 * is slow: a batch of 12 against a layer's weights (12x512x784 took 142-153 us in OpenBLAS's Haswell kernels, which
 * pack all of the 1.6 MB weight matrix on every call to reuse it across 12 rows only) and the weight gradient with
 * the batch as the inner side (512x784x12: 103-120 us on one thread, 72 on two). Neither form reuses enough of its
 * operands to pay for packing, so these read them in place (bodies in small_gemm_kernels.h):
 *
 *   dot form   (transA = 0, transB = 1, m or n <= SMALL_SIDE):  C[i,j] (+)= sum_p A[i,p] B[j,p]
 *              a block of rows of A x rows of B in accumulators over k, one horizontal sum per output at the end.
 *   row form   (transB = 0, m or k <= SMALL_SIDE):          C[i,:] (+)= sum_p A(i,p) B[p,:]
 *              a block of rows x columns of C in accumulators, one broadcast of A(i,p) per row and p.
 *
 * Each runs on one thread: products this thin finish before a second OpenBLAS thread pays for its hand-off (the
 * measurements are in bench/README.md, "Small-side GEMM kernels"); anything above SMALL_MAX_MACS goes to OpenBLAS's
 * threads. The sums are in another order than OpenBLAS's, so results differ from it by float32 rounding, as
 * OpenBLAS's own kernel sets differ from each other. Each is compiled for AVX-512 and for AVX2+FMA with function
 * attributes; the addon picks the widest the CPU has when it loads, and leaves everything to OpenBLAS on other CPUs
 * (and on ARM, where Accelerate or OpenBLAS runs every product as before). KERNEL_LIB_SMALL_GEMM=off turns them
 * off and =avx2 picks the AVX2 copy on an AVX-512 CPU (both for comparisons).
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

/* AVX-512: 32 registers of 16 floats. Dot form 6x4 (24 accumulators, 10 loads per 24 FMAs), row form 6 rows x 4
 * vectors (64 columns). Masks are mask registers. */
static inline __attribute__((always_inline, target("avx512f"))) __mmask16 lanes16(int64_t count) {
  return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}
#define SG_NAME(x) x##_avx512
#define SG_FN static __attribute__((target("avx512f")))
#define SG_BLOCK static inline __attribute__((always_inline, target("avx512f")))
#define SG_V __m512
#define SG_L 16
#define SG_MASK_T __mmask16
#define SG_MASK(count) lanes16(count)
#define SG_LOAD(p) _mm512_loadu_ps(p)
#define SG_MLOAD(mask, p) _mm512_maskz_loadu_ps(mask, p)
#define SG_MSTORE(p, mask, v) _mm512_mask_storeu_ps(p, mask, v)
#define SG_STORE(p, v) _mm512_storeu_ps(p, v)
#define SG_ZERO() _mm512_setzero_ps()
#define SG_SET1(x) _mm512_set1_ps(x)
#define SG_FMA(a, b, acc) _mm512_fmadd_ps(a, b, acc)
#define SG_ADD(a, b) _mm512_add_ps(a, b)
#define SG_SUM(v) _mm512_reduce_add_ps(v)
#define SG_DR 6
#define SG_DS 4
#define SG_RR 6
#define SG_RW 4
#include "small_gemm_kernels.h"

/* AVX2 with FMA: 16 registers of 8 floats. Dot form 3x3 (9 accumulators, 6 loads per 9 FMAs), row form 6 rows x 2
 * vectors (16 columns, 12 accumulators, one broadcast register). Masks are integer vectors for maskload/maskstore,
 * used only on the k and column tails. */
#define AVX2_ATTR target("avx2,fma")
static inline __attribute__((always_inline, AVX2_ATTR)) __m256i lanes8(int64_t count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count > 8 ? 8 : count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline __attribute__((always_inline, AVX2_ATTR)) float sum8(__m256 v) {
  __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  x = _mm_add_ps(x, _mm_movehl_ps(x, x));
  x = _mm_add_ss(x, _mm_movehdup_ps(x));
  return _mm_cvtss_f32(x);
}
#define SG_NAME(x) x##_avx2
#define SG_FN static __attribute__((AVX2_ATTR))
#define SG_BLOCK static inline __attribute__((always_inline, AVX2_ATTR))
#define SG_V __m256
#define SG_L 8
#define SG_MASK_T __m256i
#define SG_MASK(count) lanes8(count)
#define SG_LOAD(p) _mm256_loadu_ps(p)
#define SG_MLOAD(mask, p) _mm256_maskload_ps(p, mask)
#define SG_MSTORE(p, mask, v) _mm256_maskstore_ps(p, mask, v)
#define SG_STORE(p, v) _mm256_storeu_ps(p, v)
#define SG_ZERO() _mm256_setzero_ps()
#define SG_SET1(x) _mm256_set1_ps(x)
#define SG_FMA(a, b, acc) _mm256_fmadd_ps(a, b, acc)
#define SG_ADD(a, b) _mm256_add_ps(a, b)
#define SG_SUM(v) sum8(v)
#define SG_DR 3
#define SG_DS 3
#define SG_RR 6
#define SG_RW 2
#include "small_gemm_kernels.h"
#endif

/* What the small-side kernels are: "avx512", "avx2", or why they are not used. Set once by small_gemm_init;
 * small_gemm_on is 512, 2 or 0 (off). */
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
  const int avx512 = __builtin_cpu_supports("avx512f"), avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const int avx2_asked = choice && strcmp(choice, "avx2") == 0; /* the AVX2 copy on an AVX-512 CPU, to measure it */
  if (avx512 && !avx2_asked) {
    small_gemm_on = 512;
    small_gemm_setting = "avx512";
  } else if (avx2) {
    small_gemm_on = 2;
    small_gemm_setting = "avx2";
  } else {
    small_gemm_setting = "off (this CPU has neither AVX-512 nor AVX2 with FMA)";
  }
#endif
}

/* Runs C[m,n] (+)= op(A) op(B) (row-major, contiguous, as blas.c's sgemm) when a small-side kernel covers it;
 * returns 0, having done nothing, when OpenBLAS should. */
static int small_gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc) {
#ifdef SMALL_GEMM_BUILT
  if (!small_gemm_on || m * n * k > SMALL_MAX_MACS) return 0;
  if (!ta && tb && (m <= SMALL_SIDE || n <= SMALL_SIDE)) {
    if (small_gemm_on == 512) small_dot_avx512(m, n, k, a, b, c, acc);
    else small_dot_avx2(m, n, k, a, b, c, acc);
    return 1;
  }
  if (!tb && (m <= SMALL_SIDE || k <= SMALL_SIDE)) {
    const int64_t si = ta ? 1 : k, sp = ta ? m : 1;
    if (small_gemm_on == 512) small_rows_avx512(m, n, k, a, si, sp, b, n, c, n, acc);
    else small_rows_avx2(m, n, k, a, si, sp, b, n, c, n, acc);
    return 1;
  }
#else
  (void)ta; (void)tb; (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; (void)acc;
#endif
  return 0;
}
#endif
