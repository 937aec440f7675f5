/*
 * The small-side kernels' bodies (see small_gemm.h), included once per instruction set with these defined:
 *   SG_NAME(x)       the function name for this set, e.g. x##_avx512
 *   SG_FN, SG_BLOCK  attributes of the entry points and of the always-inlined blocks (the target set)
 *   SG_V, SG_L       the vector type and its float lanes;  SG_MASK_T, SG_MASK(count): a mask of the first `count` lanes
 *   SG_LOAD(p), SG_MLOAD(mask, p) (zero outside the mask), SG_MSTORE(p, mask, v), SG_STORE(p, v)
 *   SG_ZERO(), SG_SET1(x), SG_FMA(a, b, acc) = a*b + acc, SG_ADD(a, b), SG_SUM(v) (a float)
 *   SG_DR x SG_DS    the dot form's block: rows of A x rows of B (accumulators: their product)
 *   SG_RR x SG_RW    the row form's block: rows of C x vectors of columns
 * It undefines them at its end, so the next instruction set can define them again.
 * The block sizes are compile-time constants once a block is inlined into its switch case, so the accumulator
 * arrays live in registers; the unroll pragmas make sure of that (without them GCC unrolled too late and stored
 * every accumulator to the stack after each FMA: 148 us for 12x512x784, OpenBLAS's time, against 50; clang ignores
 * GCC's pragma and did the same until it got its own, 295 us against 74 in one run).
 */
#ifndef SG_UNROLL
#ifdef __clang__
#define SG_UNROLL _Pragma("clang loop unroll(full)")
#else
#define SG_UNROLL _Pragma("GCC unroll 8")
#endif
#endif

/* R rows of A against S rows of B (R <= SG_DR, S <= SG_DS): C[r, t] (+)= dot(A row r, B row t) over k. */
SG_BLOCK void SG_NAME(dot_block)(const int R, const int S, const float* a, const float* b, float* c, int64_t k, int64_t n, int acc) {
  SG_V s[SG_DR][SG_DS];
  SG_UNROLL for (int r = 0; r < R; r++)
    SG_UNROLL for (int t = 0; t < S; t++) s[r][t] = SG_ZERO();
#define SG_DOT_SLICE(LOAD_B, LOAD_A) do { \
    SG_V bv[SG_DS]; \
    SG_UNROLL for (int t = 0; t < S; t++) bv[t] = LOAD_B; \
    SG_UNROLL for (int r = 0; r < R; r++) { \
      const SG_V av = LOAD_A; \
      SG_UNROLL for (int t = 0; t < S; t++) s[r][t] = SG_FMA(av, bv[t], s[r][t]); \
    } \
  } while (0)
  int64_t p = 0;
  for (; p + SG_L <= k; p += SG_L) SG_DOT_SLICE(SG_LOAD(b + t * k + p), SG_LOAD(a + r * k + p));
  if (p < k) {
    const SG_MASK_T live = SG_MASK(k - p);
    SG_DOT_SLICE(SG_MLOAD(live, b + t * k + p), SG_MLOAD(live, a + r * k + p));
  }
#undef SG_DOT_SLICE
  SG_UNROLL for (int r = 0; r < R; r++)
    SG_UNROLL for (int t = 0; t < S; t++) {
      const float v = SG_SUM(s[r][t]);
      c[r * n + t] = acc ? c[r * n + t] + v : v;
    }
}

/* Calls CALL(c) with c = count as a compile-time constant, for 1 <= count <= limit <= 6: a switch whose cases
 * name each constant (the ones above limit are never taken, and are clamped so that they still compile). */
#define SG_MIN(x, y) ((x) < (y) ? (x) : (y))
#define SG_BY_COUNT(count, limit, CALL) do { \
    switch (count) { \
      case 1: CALL(SG_MIN(1, limit)); break; \
      case 2: CALL(SG_MIN(2, limit)); break; \
      case 3: CALL(SG_MIN(3, limit)); break; \
      case 4: CALL(SG_MIN(4, limit)); break; \
      case 5: CALL(SG_MIN(5, limit)); break; \
      default: CALL(limit); break; \
    } \
  } while (0)

/* dot_block for R rows (a constant once inlined) and the S rows of B left in this column block. */
SG_BLOCK void SG_NAME(dot_cols)(const int R, int S, const float* a, const float* b, float* c, int64_t k, int64_t n, int acc) {
#define SG_DOT_CALL(S_) SG_NAME(dot_block)(R, S_, a, b, c, k, n, acc)
  SG_BY_COUNT(S, SG_DS, SG_DOT_CALL);
#undef SG_DOT_CALL
}

/* C[m,n] (+)= A[m,k] B[n,k]^T. Column blocks outside: the SG_DS rows of B a block reads stay in L1 while every
 * row block of A passes over them. */
SG_FN void SG_NAME(small_dot)(int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c, int acc) {
  for (int64_t j = 0; j < n; j += SG_DS) {
    const int S = (int)(n - j < SG_DS ? n - j : SG_DS);
    for (int64_t i = 0; i < m; i += SG_DR) {
      const float* ap = a + i * k;
      const float* bp = b + j * k;
      float* cp = c + i * n + j;
#define SG_DOT_ROWS(R_) SG_NAME(dot_cols)(R_, S, ap, bp, cp, k, n, acc)
      SG_BY_COUNT(m - i < SG_DR ? (int)(m - i) : SG_DR, SG_DR, SG_DOT_ROWS);
#undef SG_DOT_ROWS
    }
  }
}

/* R rows of C by W vectors of columns (R <= SG_RR, W <= SG_RW); when TAIL, the last vector holds only the lanes in
 * `last`: C[i, cols] (+)= sum_p A(i,p) B[p, cols], where A(i,p) = a[i*si + p*sp]. */
SG_BLOCK void SG_NAME(row_block)(const int R, const int W, const int TAIL, const float* a, int64_t si, int64_t sp, const float* b,
                                 int64_t ldb, float* c, int64_t ldc, int64_t k, SG_MASK_T last, int acc) {
  SG_V s[SG_RR][SG_RW];
  SG_UNROLL for (int r = 0; r < R; r++)
    SG_UNROLL for (int w = 0; w < W; w++) s[r][w] = SG_ZERO();
  for (int64_t p = 0; p < k; p++) {
    SG_V bv[SG_RW];
    SG_UNROLL for (int w = 0; w < W; w++)
      bv[w] = TAIL && w == W - 1 ? SG_MLOAD(last, b + p * ldb + SG_L * w) : SG_LOAD(b + p * ldb + SG_L * w);
    SG_UNROLL for (int r = 0; r < R; r++) {
      const SG_V coef = SG_SET1(a[r * si + p * sp]);
      SG_UNROLL for (int w = 0; w < W; w++) s[r][w] = SG_FMA(coef, bv[w], s[r][w]);
    }
  }
  SG_UNROLL for (int r = 0; r < R; r++)
    SG_UNROLL for (int w = 0; w < W; w++) {
      float* out = c + r * ldc + SG_L * w;
      if (TAIL && w == W - 1) {
        SG_V v = s[r][w];
        if (acc) v = SG_ADD(SG_MLOAD(last, out), v);
        SG_MSTORE(out, last, v);
      } else {
        SG_STORE(out, acc ? SG_ADD(SG_LOAD(out), s[r][w]) : s[r][w]);
      }
    }
}

/* row_block for R rows (a constant once inlined), the W vectors of this column block and whether the last is partial. */
SG_BLOCK void SG_NAME(row_cols)(const int R, int W, int tail, const float* a, int64_t si, int64_t sp, const float* b, int64_t ldb,
                                float* c, int64_t ldc, int64_t k, SG_MASK_T last, int acc) {
#define SG_ROW_CALL(W_) (tail ? SG_NAME(row_block)(R, W_, 1, a, si, sp, b, ldb, c, ldc, k, last, acc) \
                              : SG_NAME(row_block)(R, W_, 0, a, si, sp, b, ldb, c, ldc, k, last, acc))
  SG_BY_COUNT(W, SG_RW, SG_ROW_CALL);
#undef SG_ROW_CALL
}

/* C[m,n] (+)= op(A) B[k,n] with A(i,p) = a[i*si + p*sp], B's rows ldb floats apart and C's ldc (n is the number of
 * columns computed, which is less than ldb and ldc when a thread takes a range of them). Column blocks outside, so
 * the k x (SG_RW vectors) slab of B a block reads stays in cache while every row block of C passes over it. */
SG_FN void SG_NAME(small_rows)(int64_t m, int64_t n, int64_t k, const float* a, int64_t si, int64_t sp, const float* b, int64_t ldb,
                               float* c, int64_t ldc, int acc) {
  const int64_t block = (int64_t)SG_L * SG_RW;
  for (int64_t j = 0; j < n; j += block) {
    const int64_t cols = n - j < block ? n - j : block;
    const int W = (int)((cols + SG_L - 1) / SG_L);
    const int tail = cols % SG_L != 0;
    const SG_MASK_T last = SG_MASK(cols - (int64_t)SG_L * (W - 1));
    for (int64_t i = 0; i < m; i += SG_RR) {
      const float* ap = a + i * si;
      const float* bp = b + j;
      float* cp = c + i * ldc + j;
#define SG_ROW_ROWS(R_) SG_NAME(row_cols)(R_, W, tail, ap, si, sp, bp, ldb, cp, ldc, k, last, acc)
      SG_BY_COUNT(m - i < SG_RR ? (int)(m - i) : SG_RR, SG_RR, SG_ROW_ROWS);
#undef SG_ROW_ROWS
    }
  }
}

#undef SG_NAME
#undef SG_FN
#undef SG_BLOCK
#undef SG_V
#undef SG_L
#undef SG_MASK_T
#undef SG_MASK
#undef SG_LOAD
#undef SG_MLOAD
#undef SG_MSTORE
#undef SG_STORE
#undef SG_ZERO
#undef SG_SET1
#undef SG_FMA
#undef SG_ADD
#undef SG_SUM
#undef SG_DR
#undef SG_DS
#undef SG_RR
#undef SG_RW
#undef SG_MIN
#undef SG_BY_COUNT
