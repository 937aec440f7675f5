/*
 * Optional native GEMM for kernel-lib: an N-API addon calling the system BLAS's sgemm (OpenBLAS; Accelerate on
 * macOS) directly on the memory of the caller's Float32Arrays (no copies). Built best-effort by build.mjs (the
 * platform logic is plan.mjs); kernel-lib works without it.
 *
 *   sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate)
 *     C[m,n] (+)= op(A)·op(B), row-major; A stored [k,m] when transA, B stored [n,k] when transB.
 *   info() -> { config, core, threads, cores }     setThreads(n)
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
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
    (blasint)m, (blasint)n, (blasint)k, 1.0f, a + ao, (blasint)(ta ? m : k), b + bo, (blasint)(tb ? k : n),
    acc ? 1.0f : 0.0f, cp, (blasint)n);
  return NULL;
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
  };
  CHECK(napi_define_properties(env, exports, 3, props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
