/*
 * Products with no small side (every side > SMALL_SIDE, up to MID_MAX_MACS multiply-adds) on AVX-512 CPUs, included
 * by blas.c after small_gemm.h. The batch-256 recipe's two large products (256x256x784 forward, 256x784x256 weight
 * gradient) took 417-522 us each in OpenBLAS's Haswell kernels on two threads; the small-side row form
 * (small_gemm_kernels.h) runs them at 210-245 GFLOP/s on one thread against OpenBLAS's 118-120, because it uses all
 * 512 bits of a Zen 5 or Xeon FMA unit where the Haswell kernels use 256 (bench/README.md, "Products with no small
 * side").
 *
 *   transB = 0: the row form on the operands in place, C[:, cols] (+)= op(A) B[:, cols].
 *   transB = 1: B [n,k] is transposed into a scratch buffer Bt [k,n] (8x8 blocks), then the row form.
 *
 * Threads follow the BLAS thread count the caller set for this product (the TypeScript side picks 1 or 2 per shape,
 * backends/cpu/native.ts; more than 2, set with KERNEL_LIB_BLAS_THREADS, leaves the product to OpenBLAS's threads):
 * with 2, the columns of C are cut into 4 chunks (edges at multiples of 16) that the calling thread and a helper
 * thread claim one at a time (each transposing its own rows of B). Every output is computed by the same sequence of
 * operations whichever thread and column block it falls in, so results do not depend on the thread count. One
 * caller at a time uses the helper (a trylock); a second thread of the process that calls meanwhile gets OpenBLAS.
 * KERNEL_LIB_SMALL_GEMM=off and =avx2 turn these off with the small-side ones; the Accelerate build (macOS) leaves
 * these products to Accelerate, which picks its own threads.
 */
#ifndef KERNEL_LIB_MID_GEMM_H
#define KERNEL_LIB_MID_GEMM_H
#include "small_gemm.h"

/* Limits: past them OpenBLAS's cache blocking pays. k bounds the k x 64 slab of B a column block streams (512 KiB,
 * half a Zen 5 core's L2); Bt's scratch is at most 16 MiB. */
#define MID_MAX_MACS ((int64_t)1 << 31)
#define MID_MAX_K 2048
#define MID_MAX_SCRATCH ((int64_t)1 << 22)

static const char* mid_gemm_setting = "off (needs the AVX-512 small-side kernels)";

#ifdef SMALL_GEMM_BUILT
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

/* Bt[p, j] = B[j, p] for rows j0 <= j < j1 of B [n,k] (row length k) into Bt (row length ldt), in 8x8 blocks. The
 * k blocks are outside, so the writes run along rows of Bt and the reads revisit the same lines of B's rows while
 * they are still in L1 (the other order, down the columns of Bt, took 103-112 us for a 256x784 B against 20-24). */
static __attribute__((target("avx2"))) void mid_transpose(const float* b, int64_t k, float* bt, int64_t ldt, int64_t j0, int64_t j1) {
  const int64_t j8 = j0 + (j1 - j0) / 8 * 8, p8 = k / 8 * 8;
  for (int64_t p = 0; p < p8; p += 8) {
    for (int64_t j = j0; j < j8; j += 8) {
      const float* s = b + j * k + p;
      const __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + k), r2 = _mm256_loadu_ps(s + 2 * k),
                   r3 = _mm256_loadu_ps(s + 3 * k), r4 = _mm256_loadu_ps(s + 4 * k), r5 = _mm256_loadu_ps(s + 5 * k),
                   r6 = _mm256_loadu_ps(s + 6 * k), r7 = _mm256_loadu_ps(s + 7 * k);
      const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
                   t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
                   t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
      const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE),
                   u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE),
                   u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
                   u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
      float* d = bt + p * ldt + j;
      _mm256_storeu_ps(d, _mm256_permute2f128_ps(u0, u4, 0x20));
      _mm256_storeu_ps(d + ldt, _mm256_permute2f128_ps(u1, u5, 0x20));
      _mm256_storeu_ps(d + 2 * ldt, _mm256_permute2f128_ps(u2, u6, 0x20));
      _mm256_storeu_ps(d + 3 * ldt, _mm256_permute2f128_ps(u3, u7, 0x20));
      _mm256_storeu_ps(d + 4 * ldt, _mm256_permute2f128_ps(u0, u4, 0x31));
      _mm256_storeu_ps(d + 5 * ldt, _mm256_permute2f128_ps(u1, u5, 0x31));
      _mm256_storeu_ps(d + 6 * ldt, _mm256_permute2f128_ps(u2, u6, 0x31));
      _mm256_storeu_ps(d + 7 * ldt, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
    for (int64_t j = j8; j < j1; j++) /* rows of B past the last full block of 8 */
      for (int64_t q = p; q < p + 8; q++) bt[q * ldt + j] = b[j * k + q];
  }
  for (int64_t p = p8; p < k; p++) /* the last k % 8 columns of B */
    for (int64_t j = j0; j < j1; j++) bt[p * ldt + j] = b[j * k + p];
}

typedef struct {
  int ta, tb, acc;
  int64_t m, n, k;
  const float *a, *b;
  float *c, *bt;
} mid_job;

/* Columns j0 <= j < j1 of C. */
static void mid_columns(const mid_job* job, int64_t j0, int64_t j1) {
  if (j1 <= j0) return;
  const float* b = job->b;
  if (job->tb) {
    mid_transpose(job->b, job->k, job->bt, job->n, j0, j1);
    b = job->bt;
  }
  const int64_t si = job->ta ? 1 : job->k, sp = job->ta ? job->m : 1;
  small_rows_avx512(job->m, j1 - j0, job->k, job->a, si, sp, b + j0, job->n, job->c + j0, job->n, job->acc);
}

static pthread_mutex_t mid_in_use = PTHREAD_MUTEX_INITIALIZER; /* held by the one caller using the helper and Bt */
static pthread_mutex_t mid_mutex = PTHREAD_MUTEX_INITIALIZER;   /* guards the posted job */
static pthread_cond_t mid_posted_cond = PTHREAD_COND_INITIALIZER;
static mid_job mid_posted_job;
static int mid_posted = 0;
static int mid_helper_state = 0; /* 0 not started, 1 running, -1 could not be started */
static float* mid_bt = NULL;
static int64_t mid_bt_cap = 0;

/* The column chunks of the current job: chunk i is [mid_bounds[i], mid_bounds[i+1]). Both threads claim chunks from
 * mid_claim, (job number << 32) | next chunk, until none is left, so a helper that wakes late, or loses its core,
 * leaves its share to the caller instead of holding the product up; the job number keeps a helper that still holds
 * an old job from claiming a chunk of a newer one. mid_finished counts the chunks done. */
#define MID_CHUNKS_PER_THREAD 2
#define MID_MAX_CHUNKS 8
static int64_t mid_bounds[MID_MAX_CHUNKS + 1];
static int mid_chunk_count;
static uint32_t mid_job_number;
static _Atomic uint64_t mid_claim;
static atomic_int mid_finished;

/* Claims and runs chunks of job `number` until it has none left (or a newer job replaced it). */
static void mid_run_chunks(const mid_job* job, uint32_t number, int count) {
  for (;;) {
    uint64_t v = atomic_load_explicit(&mid_claim, memory_order_acquire);
    if ((uint32_t)(v >> 32) != number || (int)(uint32_t)v >= count) return;
    if (!atomic_compare_exchange_weak_explicit(&mid_claim, &v, v + 1, memory_order_acq_rel, memory_order_acquire)) continue;
    const int i = (int)(uint32_t)v;
    mid_columns(job, mid_bounds[i], mid_bounds[i + 1]);
    atomic_fetch_add_explicit(&mid_finished, 1, memory_order_release);
  }
}

static void* mid_helper_main(void* unused) {
  (void)unused;
  for (;;) {
    pthread_mutex_lock(&mid_mutex);
    while (!mid_posted) pthread_cond_wait(&mid_posted_cond, &mid_mutex);
    mid_posted = 0;
    const mid_job job = mid_posted_job;
    const uint32_t number = mid_job_number;
    const int count = mid_chunk_count;
    pthread_mutex_unlock(&mid_mutex);
    mid_run_chunks(&job, number, count);
  }
  return NULL;
}

static int mid_helper_ready(void) {
  if (mid_helper_state == 0) {
    pthread_t thread;
    pthread_attr_t attr;
    mid_helper_state = -1;
    if (pthread_attr_init(&attr) == 0) {
      pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
      if (pthread_create(&thread, &attr, mid_helper_main, NULL) == 0) mid_helper_state = 1;
      pthread_attr_destroy(&attr);
    }
  }
  return mid_helper_state == 1;
}

/* Runs C[m,n] (+)= op(A) op(B) on `threads` threads (1 or 2) when these kernels cover it; returns 0, having done
 * nothing, when OpenBLAS should. */
static int mid_gemm_on = 0; /* set by mid_gemm_init */

static int mid_gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc, int threads) {
  if (!mid_gemm_on || threads > 2 || m <= SMALL_SIDE || n <= SMALL_SIDE || k <= SMALL_SIDE) return 0;
  if (m * n * k > MID_MAX_MACS || k > MID_MAX_K || (tb && n * k > MID_MAX_SCRATCH)) return 0;
  if (pthread_mutex_trylock(&mid_in_use) != 0) return 0;
  if (tb && mid_bt_cap < n * k) {
    free(mid_bt);
    mid_bt_cap = 0;
    mid_bt = (float*)aligned_alloc(64, (size_t)(((n * k + 15) / 16) * 16) * sizeof(float));
    if (!mid_bt) {
      pthread_mutex_unlock(&mid_in_use);
      return 0;
    }
    mid_bt_cap = n * k;
  }
  const mid_job job = { ta, tb, acc, m, n, k, a, b, c, mid_bt };
  /* Chunk edges are multiples of 16 columns, so two threads never write the same 64-byte line of Bt or C's rows
   * (when n is a multiple of 16) and every chunk but the last has only full vectors. */
  const int64_t blocks = n / 16;
  int count = threads < 2 ? 1 : (int)(blocks < 2 * MID_CHUNKS_PER_THREAD ? blocks : 2 * MID_CHUNKS_PER_THREAD);
  if (count < 2 || !mid_helper_ready()) {
    mid_columns(&job, 0, n);
  } else {
    pthread_mutex_lock(&mid_mutex);
    mid_bounds[0] = 0;
    for (int i = 1; i < count; i++) mid_bounds[i] = (blocks * i / count) * 16;
    mid_bounds[count] = n;
    mid_chunk_count = count;
    const uint32_t number = ++mid_job_number;
    atomic_store_explicit(&mid_finished, 0, memory_order_relaxed);
    atomic_store_explicit(&mid_claim, (uint64_t)number << 32, memory_order_release);
    mid_posted_job = job;
    mid_posted = 1;
    pthread_cond_signal(&mid_posted_cond);
    pthread_mutex_unlock(&mid_mutex);
    mid_run_chunks(&job, number, count);
    for (unsigned spins = 1; atomic_load_explicit(&mid_finished, memory_order_acquire) < count; spins++) {
      if (spins % 1024 == 0) sched_yield(); /* the helper is not running: let it */
      else _mm_pause();
    }
  }
  pthread_mutex_unlock(&mid_in_use);
  return 1;
}

/* After small_gemm_init: on with the AVX-512 small-side kernels. With AVX2 alone OpenBLAS's Haswell kernels already
 * run at the vector units' peak (118-120 GFLOP/s a core here), so these would not be faster. */
static void mid_gemm_init(void) {
#ifdef KERNEL_LIB_ACCELERATE
  /* Accelerate runs large products on as many cores as it likes (setThreads only records a number), which two
   * threads of ours need not beat on an AVX-512 Mac; it keeps them. */
  mid_gemm_setting = "off (Accelerate picks its own threads)";
  return;
#endif
  mid_gemm_on = small_gemm_on == 512;
  if (mid_gemm_on) mid_gemm_setting = "avx512";
  else if (small_gemm_on == 2) mid_gemm_setting = "off (AVX2 only: OpenBLAS's kernels are at its peak)";
  else mid_gemm_setting = "off (as the small-side kernels)";
}
#else
static int mid_gemm(int ta, int tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc, int threads) {
  (void)ta; (void)tb; (void)m; (void)n; (void)k; (void)a; (void)b; (void)c; (void)acc; (void)threads;
  return 0;
}
static void mid_gemm_init(void) {}
#endif
#endif
