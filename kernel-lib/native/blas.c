/*
 * Optional native GEMM for kernel-lib: an N-API addon calling the system BLAS's sgemm (OpenBLAS; Accelerate on
 * macOS) directly on the memory of the caller's Float32Arrays (no copies). Built best-effort by build.mjs (the
 * platform logic is plan.mjs); kernel-lib works without it.
 *
 *   sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate)
 *     C[m,n] (+)= op(A)·op(B), row-major; A stored [k,m] when transA, B stored [n,k] when transB.
 *   info() -> { config, core, threads, cores, malloc }     setThreads(n)
 *   sgdStep(param, grad, lr)                       param -= lr·grad (plain SGD; lr a float32 value)
 *   adamStep(param, grad, m, v, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, decoupled, decay,
 *            stepSize, bc2Sqrt)                    one Adam/AdamW step, as the wasm kernel (wasm/fused.ts)
 *   relu(x, out)   reluBackward(gy, x, gx)       out = max(x, 0); gx = x > 0 ? gy : 0 (as the wasm kernels)
 *   gatherRows(src, rowLength, indices, out)       out[k] = src row indices[k] (negative counts from the end)
 * The elementwise kernels and the row gather are here because on this path the arrays are the tensors' own
 * memory: the wasm kernels copy every operand into wasm memory and back (30-37 us for ReLU over 256x256, which a
 * plain loop here does in a few), and a gather of 256 MNIST rows made 256 subarrays and 256 set() calls.
 * On glibc the addon also raises malloc's mmap and trim thresholds when it loads (tune_malloc below).
 * The optimizer steps are here because they are memory-bound loops over every parameter each step: the
 * TypeScript SGD loop took 0.43 ms per step for the 575k-parameter lecture MLP, and the wasm Adam kernel pays
 * for copying four arrays in and three out. Both round exactly as the paths they replace (build.mjs compiles
 * with -ffp-contract=off, so no multiply-add is fused behind our back).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#ifdef KERNEL_LIB_ACCELERATE
/* macOS: Apple's Accelerate framework (build.mjs passes -DKERNEL_LIB_ACCELERATE -framework Accelerate). It has
 * cblas_sgemm but none of OpenBLAS's extensions: it picks its own threads (so setThreads only records the
 * number asked for) and has no configuration string. */
#define ACCELERATE_NEW_LAPACK /* the current cblas prototypes on macOS 13.3+; older SDKs ignore it */
#include <Accelerate/Accelerate.h>
#include <unistd.h>
typedef int blasint;
static int accelerate_threads = 1;
static const char* blas_config(void) { return "Apple Accelerate (vecLib; threads chosen by Accelerate)"; }
static const char* blas_core(void) { return "Accelerate"; }
static int blas_threads(void) { return accelerate_threads; }
static int blas_procs(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }
static void blas_set_threads(int n) { accelerate_threads = n; }
#else
#include <cblas.h>
#define blas_config openblas_get_config
#define blas_core openblas_get_corename
#define blas_threads openblas_get_num_threads
#define blas_procs openblas_get_num_procs
#define blas_set_threads openblas_set_num_threads
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "small_gemm.h"
#include "mid_gemm.h"

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "native sgemm: N-API call failed: " #call); return NULL; } } while (0)

static napi_value fail(napi_env env, const char* msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static int get_bool(napi_env env, napi_value v, int* out) {
  bool b;
  if (napi_get_value_bool(env, v, &b) != napi_ok) return 0;
  *out = b;
  return 1;
}

/* A non-negative integer that fits a BLAS int. */
static int get_dim(napi_env env, napi_value v, int64_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return 0;
  if (!(d >= 0) || d > INT_MAX || floor(d) != d) return 0;
  *out = (int64_t)d;
  return 1;
}

static int get_f32(napi_env env, napi_value v, float** data, size_t* length, uintptr_t* base) {
  bool is_ta;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  void* ptr;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, &ab, &off) != napi_ok) return 0;
  if (type != napi_float32_array) return 0;
  *data = (float*)ptr;
  *base = (uintptr_t)ptr;
  return 1;
}

static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  char msg[512];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) {
    snprintf(msg, sizeof msg, "native sgemm: expected 12 arguments (transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate), got %zu", argc);
    return fail(env, msg);
  }
  int ta, tb, acc;
  if (!get_bool(env, argv[0], &ta) || !get_bool(env, argv[1], &tb) || !get_bool(env, argv[11], &acc)) {
    return fail(env, "native sgemm: transA, transB and accumulate must be booleans");
  }
  int64_t m, n, k, ao, bo, co;
  if (!get_dim(env, argv[2], &m) || !get_dim(env, argv[3], &n) || !get_dim(env, argv[4], &k)) {
    return fail(env, "native sgemm: m, n and k must be non-negative integers");
  }
  if (!get_dim(env, argv[6], &ao) || !get_dim(env, argv[8], &bo) || !get_dim(env, argv[10], &co)) {
    return fail(env, "native sgemm: aOff, bOff and cOff must be non-negative integers");
  }
  float *a, *b, *c;
  size_t al, bl, cl;
  uintptr_t ab, bb, cb;
  if (!get_f32(env, argv[5], &a, &al, &ab)) return fail(env, "native sgemm: a must be a Float32Array");
  if (!get_f32(env, argv[7], &b, &bl, &bb)) return fail(env, "native sgemm: b must be a Float32Array");
  if (!get_f32(env, argv[9], &c, &cl, &cb)) return fail(env, "native sgemm: c must be a Float32Array");
  const char* names[3] = { "a", "b", "c" };
  int64_t need[3] = { m * k, k * n, m * n }, offs[3] = { ao, bo, co };
  size_t lens[3] = { al, bl, cl };
  for (int i = 0; i < 3; i++) {
    if ((uint64_t)(offs[i] + need[i]) > (uint64_t)lens[i]) {
      snprintf(msg, sizeof msg,
        "native sgemm: %s needs %lld elements from offset %lld for m=%lld n=%lld k=%lld (transA=%d transB=%d), but has length %zu",
        names[i], (long long)need[i], (long long)offs[i], (long long)m, (long long)n, (long long)k, ta, tb, lens[i]);
      return fail(env, msg);
    }
  }
  if (m == 0 || n == 0) return NULL;
  float* cp = c + co;
  /* C must not overlap an operand: BLAS reads A and B while writing C. */
  uintptr_t c0 = (uintptr_t)cp, c1 = c0 + (uintptr_t)(m * n) * 4;
  uintptr_t a0 = (uintptr_t)(a + ao), a1 = a0 + (uintptr_t)(m * k) * 4;
  uintptr_t b0 = (uintptr_t)(b + bo), b1 = b0 + (uintptr_t)(k * n) * 4;
  if ((k > 0 && a0 < c1 && c0 < a1) || (k > 0 && b0 < c1 && c0 < b1)) {
    snprintf(msg, sizeof msg, "native sgemm: c overlaps a or b in memory (m=%lld n=%lld k=%lld)", (long long)m, (long long)n, (long long)k);
    return fail(env, msg);
  }
  if (k == 0) {
    if (!acc) memset(cp, 0, (size_t)(m * n) * sizeof(float));
    return NULL;
  }
  if (small_gemm(ta, tb, m, n, k, a + ao, b + bo, cp, acc)) return NULL;
  if (mid_gemm(ta, tb, m, n, k, a + ao, b + bo, cp, acc, blas_threads())) return NULL;
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
    (blasint)m, (blasint)n, (blasint)k, 1.0f, a + ao, (blasint)(ta ? m : k), b + bo, (blasint)(tb ? k : n),
    acc ? 1.0f : 0.0f, cp, (blasint)n);
  return NULL;
}

/* A Float32Array argument of an optimizer step or elementwise kernel. The first array (first == NULL) fixes n; each
 * later one must have n elements, and the error names it and the first array. */
static int step_array(napi_env env, napi_value v, const char* op, const char* name, const char* first, float** data, size_t* n) {
  char msg[256];
  size_t len;
  uintptr_t base;
  if (!get_f32(env, v, data, &len, &base)) {
    snprintf(msg, sizeof msg, "native %s: %s must be a Float32Array", op, name);
    napi_throw_error(env, NULL, msg);
    return 0;
  }
  if (!first) *n = len;
  else if (len != *n) {
    snprintf(msg, sizeof msg, "native %s: %s has %zu elements but %s has %zu", op, name, len, first, *n);
    napi_throw_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static int get_number(napi_env env, napi_value v, double* out) {
  return napi_get_value_double(env, v, out) == napi_ok;
}

/* The optimizer loops get one copy per x86-64 level (AVX-512, AVX2, baseline), picked when the addon loads (GCC's
 * target_clones on Linux). Each copy does the same IEEE operations in the same order (-ffp-contract=off: nothing is
 * fused), so the results are bit-identical whichever runs; the AVX-512 copy of the SGD loop measured 57-64 us
 * against 144-145 us for the baseline's two-double SSE2 lanes over the lecture MLP's 575k parameters. */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define PER_ISA_LEVEL __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PER_ISA_LEVEL
#endif

/* Distinct arrays, as the kernels' restrict pointers promise: an aliased pair would update twice. */
static int disjoint(float* const* arrays, int count, size_t n) {
  for (int i = 0; i < count; i++)
    for (int j = i + 1; j < count; j++)
      if (n > 0 && arrays[i] < arrays[j] + n && arrays[j] < arrays[i] + n) return 0;
  return 1;
}

/* p = p - lr·g in double, rounded once to float: bit-identical to plainSgdF32 in src/backends/cpu/optim.ts, which
 * matches PyTorch's SGD fixtures exactly. OpenBLAS's saxpy took 47 us per step for the lecture MLP's 575k
 * parameters (this loop: 138 in its baseline copy, 57-64 in its AVX-512 one), but it is a fused multiply-add, and
 * on test/fixtures/optim it leaves 2.98e-8 where PyTorch's step gives exactly 0. */
PER_ISA_LEVEL static void sgd_f32(float* restrict p, const float* restrict g, size_t n, double lr) {
  for (size_t i = 0; i < n; i++) p[i] = (float)((double)p[i] - lr * (double)g[i]);
}

static napi_value sgd_step(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) return fail(env, "native sgdStep: expected 3 arguments (param, grad, lr)");
  float *p, *g;
  size_t n = 0;
  double lr;
  if (!step_array(env, argv[0], "sgdStep", "param", NULL, &p, &n) || !step_array(env, argv[1], "sgdStep", "grad", "param", &g, &n)) return NULL;
  if (!get_number(env, argv[2], &lr)) return fail(env, "native sgdStep: lr must be a number");
  float* arrays[2] = { p, g };
  if (!disjoint(arrays, 2, n)) return fail(env, "native sgdStep: param and grad share memory");
  sgd_f32(p, g, n, lr);
  return NULL;
}

/* One Adam step in float32 arithmetic, operation for operation as adamStep in wasm/fused.ts (PyTorch's order:
 * m += (1-b1)(g-m); v = v·b2 + (1-b2)·g²; p -= stepSize·m / (sqrt(v)/bc2Sqrt + eps)). */
PER_ISA_LEVEL static void adam_f32(float* restrict p, const float* restrict g, float* restrict m, float* restrict v, size_t n,
                     float w1, float b2, float w2, float eps, float wd, int decoupled, float decay, float step, float bc2) {
  for (size_t i = 0; i < n; i++) {
    float pv = p[i], gv = g[i];
    if (wd != 0.0f) {
      if (decoupled) pv = pv * decay;
      else gv = gv + wd * pv;
    }
    float mv = m[i];
    mv = mv + w1 * (gv - mv);
    float vv = v[i] * b2 + w2 * (gv * gv);
    float denom = sqrtf(vv) / bc2 + eps;
    m[i] = mv;
    v[i] = vv;
    p[i] = pv - step * (mv / denom);
  }
}

static napi_value adam_step(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 13) {
    return fail(env, "native adamStep: expected 13 arguments (param, grad, m, v, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, decoupled, decay, stepSize, bc2Sqrt)");
  }
  float *p, *g, *m, *v;
  size_t n = 0;
  if (!step_array(env, argv[0], "adamStep", "param", NULL, &p, &n) || !step_array(env, argv[1], "adamStep", "grad", "param", &g, &n) ||
      !step_array(env, argv[2], "adamStep", "m", "param", &m, &n) || !step_array(env, argv[3], "adamStep", "v", "param", &v, &n)) return NULL;
  double c[9];
  int decoupled;
  for (int i = 0; i < 9; i++) {
    if (i == 5) continue;
    if (!get_number(env, argv[4 + i], &c[i])) return fail(env, "native adamStep: the coefficients must be numbers");
  }
  if (!get_bool(env, argv[9], &decoupled)) return fail(env, "native adamStep: decoupled must be a boolean");
  float* arrays[4] = { p, g, m, v };
  if (!disjoint(arrays, 4, n)) return fail(env, "native adamStep: param, grad, m and v must not share memory");
  /* the wasm kernel takes f32 arguments: JS numbers rounded to nearest, as (float) does here */
  adam_f32(p, g, m, v, n, (float)c[0], (float)c[1], (float)c[2], (float)c[3], (float)c[4], decoupled, (float)c[6],
           (float)c[7], (float)c[8]);
  return NULL;
}

/* out = max(x, 0): NaN stays NaN and -0 becomes +0, as f32x4.max in the wasm kernel. out is x or disjoint from it. */
PER_ISA_LEVEL static void relu_f32(const float* x, float* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] <= 0.0f ? 0.0f : x[i];
}

/* gx = x > 0 ? gy : +0, as the wasm kernel's and(gy, x > 0). gx may be gy. */
PER_ISA_LEVEL static void relu_backward_f32(const float* gy, const float* x, float* gx, size_t n) {
  for (size_t i = 0; i < n; i++) gx[i] = x[i] > 0.0f ? gy[i] : 0.0f;
}

/* Equal or disjoint: an elementwise kernel may write over its input in place, but not over a shifted copy of it. */
static int same_or_disjoint(const float* a, const float* b, size_t n) {
  return a == b || n == 0 || a + n <= b || b + n <= a;
}

static napi_value relu(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 2) return fail(env, "native relu: expected 2 arguments (x, out)");
  float *x, *out;
  size_t n = 0;
  if (!step_array(env, argv[0], "relu", "x", NULL, &x, &n) || !step_array(env, argv[1], "relu", "out", "x", &out, &n)) return NULL;
  if (!same_or_disjoint(x, out, n)) return fail(env, "native relu: out overlaps x without being x");
  relu_f32(x, out, n);
  return NULL;
}

static napi_value relu_backward(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) return fail(env, "native reluBackward: expected 3 arguments (gy, x, gx)");
  float *gy, *x, *gx;
  size_t n = 0;
  if (!step_array(env, argv[0], "reluBackward", "gy", NULL, &gy, &n) || !step_array(env, argv[1], "reluBackward", "x", "gy", &x, &n) ||
      !step_array(env, argv[2], "reluBackward", "gx", "gy", &gx, &n)) return NULL;
  if (!same_or_disjoint(gy, gx, n) || !same_or_disjoint(x, gx, n)) return fail(env, "native reluBackward: gx overlaps gy or x without being it");
  relu_backward_f32(gy, x, gx, n);
  return NULL;
}

/* out[k·rowLength ...] = the rows indices[k] of src (rows = src length / rowLength), for a batch of samples. */
static napi_value gather_rows(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  char msg[256];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) return fail(env, "native gatherRows: expected 4 arguments (src, rowLength, indices, out)");
  float *src, *out;
  size_t srcLen, outLen;
  uintptr_t base;
  int64_t row;
  if (!get_f32(env, argv[0], &src, &srcLen, &base)) return fail(env, "native gatherRows: src must be a Float32Array");
  if (!get_dim(env, argv[1], &row) || row < 1) return fail(env, "native gatherRows: rowLength must be a positive integer");
  bool is_ta;
  napi_typedarray_type type;
  size_t count, ioff;
  void* iptr;
  napi_value iab;
  if (napi_is_typedarray(env, argv[2], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[2], &type, &count, &iptr, &iab, &ioff) != napi_ok || type != napi_int32_array) {
    return fail(env, "native gatherRows: indices must be an Int32Array");
  }
  if (!get_f32(env, argv[3], &out, &outLen, &base)) return fail(env, "native gatherRows: out must be a Float32Array");
  if (srcLen % (size_t)row != 0) return fail(env, "native gatherRows: src length is not a multiple of rowLength");
  if (outLen != count * (size_t)row) {
    snprintf(msg, sizeof msg, "native gatherRows: out has %zu elements, expected %zu (%zu rows of %lld)", outLen, count * (size_t)row, count, (long long)row);
    return fail(env, msg);
  }
  if (count > 0 && src < out + outLen && out < src + srcLen) return fail(env, "native gatherRows: out overlaps src");
  const int32_t* idx = (const int32_t*)iptr;
  int64_t rows = (int64_t)(srcLen / (size_t)row);
  for (size_t k = 0; k < count; k++) {
    int64_t i = idx[k] < 0 ? idx[k] + rows : idx[k];
    if (i < 0 || i >= rows) {
      snprintf(msg, sizeof msg, "native gatherRows: index %d at position %zu is out of range for %lld rows", idx[k], k, (long long)rows);
      return fail(env, msg);
    }
  }
  /* Rows of a shuffled dataset come from DRAM in random order: touching each line of the row GATHER_AHEAD places on
   * before copying this one overlaps their latencies (256 MNIST rows out of 188 MB: 150 us a batch without it). */
  enum { GATHER_AHEAD = 4 };
  for (size_t k = 0; k < count; k++) {
    if (k + GATHER_AHEAD < count) {
      const int64_t ahead = idx[k + GATHER_AHEAD] < 0 ? idx[k + GATHER_AHEAD] + rows : idx[k + GATHER_AHEAD];
      const char* line = (const char*)(src + (size_t)ahead * (size_t)row);
      for (size_t byte = 0; byte < (size_t)row * sizeof(float); byte += 64) __builtin_prefetch(line + byte);
    }
    int64_t i = idx[k] < 0 ? idx[k] + rows : idx[k];
    memcpy(out + k * (size_t)row, src + (size_t)i * (size_t)row, (size_t)row * sizeof(float));
  }
  return NULL;
}

/* V8 frees a typed array's memory only when a GC collects it, many at once. glibc's default then trims the top of
 * the heap (its dynamic trim threshold is twice the largest recent free, about 2 MB here), so the next batch's and
 * products' arrays come from fresh pages that fault in and are zeroed again: measured on the batch-256 MNIST step
 * (bench/README.md, "malloc thresholds"), 1797-2017 us a step with the defaults against 1681-1742 with the
 * thresholds below, 35 fewer page faults a step, the same peak RSS. Skipped when the user set either threshold or
 * KERNEL_LIB_MALLOC=default. */
static const char* malloc_setting = "default";
static void tune_malloc(void) {
#ifdef __GLIBC__
  const char* choice = getenv("KERNEL_LIB_MALLOC");
  if (choice && strcmp(choice, "default") == 0) return;
  if (getenv("MALLOC_MMAP_THRESHOLD_") || getenv("MALLOC_TRIM_THRESHOLD_")) {
    malloc_setting = "glibc thresholds from the environment";
    return;
  }
  if (mallopt(M_MMAP_THRESHOLD, 16 << 20) && mallopt(M_TRIM_THRESHOLD, 64 << 20)) malloc_setting = "glibc mmap threshold 16 MiB, trim threshold 64 MiB";
#endif
}

static napi_value info(napi_env env, napi_callback_info cbinfo) {
  napi_value obj, config, core, threads, cores;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_string_utf8(env, blas_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(napi_create_string_utf8(env, blas_core(), NAPI_AUTO_LENGTH, &core));
  CHECK(napi_create_int32(env, blas_threads(), &threads));
  CHECK(napi_create_int32(env, blas_procs(), &cores));
  CHECK(napi_set_named_property(env, obj, "config", config));
  CHECK(napi_set_named_property(env, obj, "core", core));
  CHECK(napi_set_named_property(env, obj, "threads", threads));
  CHECK(napi_set_named_property(env, obj, "cores", cores));
  napi_value mall;
  CHECK(napi_create_string_utf8(env, malloc_setting, NAPI_AUTO_LENGTH, &mall));
  CHECK(napi_set_named_property(env, obj, "malloc", mall));
  napi_value small;
  CHECK(napi_create_string_utf8(env, small_gemm_setting, NAPI_AUTO_LENGTH, &small));
  CHECK(napi_set_named_property(env, obj, "smallGemm", small));
  napi_value mid;
  CHECK(napi_create_string_utf8(env, mid_gemm_setting, NAPI_AUTO_LENGTH, &mid));
  CHECK(napi_set_named_property(env, obj, "midGemm", mid));
  return obj;
}

static napi_value set_threads(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, cbinfo, &argc, argv, NULL, NULL));
  int64_t t;
  if (argc != 1 || !get_dim(env, argv[0], &t) || t < 1) return fail(env, "native setThreads: n must be a positive integer");
  blas_set_threads((int)t);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL },
    { "info", NULL, info, NULL, NULL, NULL, napi_default, NULL },
    { "setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL },
    { "sgdStep", NULL, sgd_step, NULL, NULL, NULL, napi_default, NULL },
    { "adamStep", NULL, adam_step, NULL, NULL, NULL, napi_default, NULL },
    { "relu", NULL, relu, NULL, NULL, NULL, napi_default, NULL },
    { "reluBackward", NULL, relu_backward, NULL, NULL, NULL, napi_default, NULL },
    { "gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_default, NULL },
  };
  tune_malloc();
  small_gemm_init();
  mid_gemm_init();
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
