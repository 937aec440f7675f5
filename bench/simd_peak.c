/*
 * The CPU's multiply-add peak per vector width, on 1 and 2 threads: the ceiling the GEMM kernels are measured against
 * in bench/README.md (WebAssembly SIMD is 128 bits wide, so the wasm kernels can reach at most the 128-bit figure).
 * x86-64 with FMA only. Build and run:
 *   cc -O3 -pthread bench/simd_peak.c -o /tmp/simd_peak && /tmp/simd_peak
 * Each thread runs 12 independent chains of vfmadd in registers (enough to cover the FMA latency on current cores; the
 * unroll pragma keeps them out of memory) for a fixed count and reports multiply-adds x 2 per second.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define ITERS 100000000L
#define CHAINS 12

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define PEAK_BODY(V, SET1, FMA, ADD, STORE, LANES) \
  V acc[CHAINS]; \
  const V x = SET1(1.0000001f), y = SET1(0.9999999f); \
  _Pragma("GCC unroll 12") for (int c = 0; c < CHAINS; c++) acc[c] = SET1((float)c); \
  for (long i = 0; i < ITERS; i++) { \
    _Pragma("GCC unroll 12") for (int c = 0; c < CHAINS; c++) acc[c] = FMA(acc[c], x, y); \
  } \
  V sum = acc[0]; \
  for (int c = 1; c < CHAINS; c++) sum = ADD(sum, acc[c]); \
  float out[LANES]; \
  STORE(out, sum); \
  *(volatile float*)arg = out[0]; /* keep the result live */ \
  return NULL;

static __attribute__((target("fma"))) void* peak128(void* arg) { PEAK_BODY(__m128, _mm_set1_ps, _mm_fmadd_ps, _mm_add_ps, _mm_storeu_ps, 4) }
static __attribute__((target("avx2,fma"))) void* peak256(void* arg) { PEAK_BODY(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8) }
static __attribute__((target("avx512f"))) void* peak512(void* arg) { PEAK_BODY(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16) }

static double run(void* (*fn)(void*), int threads, int lanes) {
  pthread_t t[2];
  float sink[2];
  const double t0 = now();
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, fn, &sink[i]);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  const double seconds = now() - t0;
  return 2.0 * lanes * CHAINS * (double)ITERS * threads / seconds / 1e9;
}

int main(void) {
  __builtin_cpu_init();
  struct { const char* name; void* (*fn)(void*); int lanes; int ok; } widths[] = {
    { "128-bit (SSE/WebAssembly SIMD width)", peak128, 4, __builtin_cpu_supports("fma") },
    { "256-bit (AVX2)", peak256, 8, __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") },
    { "512-bit (AVX-512)", peak512, 16, __builtin_cpu_supports("avx512f") },
  };
  for (int w = 0; w < 3; w++) {
    if (!widths[w].ok) {
      printf("%-38s not supported by this CPU\n", widths[w].name);
      continue;
    }
    const double one = run(widths[w].fn, 1, widths[w].lanes), two = run(widths[w].fn, 2, widths[w].lanes);
    printf("%-38s 1 thread %6.1f GFLOP/s, 2 threads %6.1f GFLOP/s\n", widths[w].name, one, two);
  }
  return 0;
}
