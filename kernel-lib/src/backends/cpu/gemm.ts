/**
 * The single matrix-product entry point of the CPU backend (a WebAssembly SIMD kernel plugs in behind it).
 *
 *   C[m×n] (+)= op(A) · op(B),  op(A) = transA ? Aᵀ : A,  all row-major and contiguous:
 *   A is m×k (k×m if transA), B is k×n (n×k if transB), C is m×n, each starting at its offset.
 *
 * Two loop shapes cover the four cases without materializing a transpose:
 *   - B not transposed (A·B, Aᵀ·B): rank-4 row updates, C[i..i+3, j] += A(i..i+3, p) · B[p, j],
 *     streaming rows of B and C; blocked over p and j so the B panel stays in cache.
 *   - B transposed (A·Bᵀ, Aᵀ·Bᵀ): dot products of a row of op(A) with four rows of B at a time,
 *     blocked over j so the B rows stay in cache while every row of A passes them.
 */
export type FloatArray = Float32Array | Float64Array;

const KB = 128; // p-block: rows of B kept hot in the rank-4 update path
const NB = 512; // j-block: columns of C touched per pass
const JB = 64; // rows of Bᵀ kept hot in the dot-product path

export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOffset: number, b: FloatArray, bOffset: number, c: FloatArray, cOffset: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  // A(i, p) = a[aOffset + i * sai + p * sap]
  const sai = transA ? 1 : k;
  const sap = transA ? m : 1;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  if (transB) dotProducts(m, n, k, a, aOffset, sai, sap, b, bOffset, c, cOffset, accumulate);
  else rowUpdates(m, n, k, a, aOffset, sai, sap, b, bOffset, c, cOffset, accumulate);
}

function rowUpdates(
  m: number, n: number, k: number, a: FloatArray, aOff: number, sai: number, sap: number,
  b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    for (let j0 = 0; j0 < n; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        for (let p = p0; p < p1; p++) {
          const ap = aOff + i * sai + p * sap;
          const x0 = a[ap], x1 = a[ap + sai], x2 = a[ap + 2 * sai], x3 = a[ap + 3 * sai];
          const bp = bOff + p * n;
          for (let j = j0; j < j1; j++) {
            const y = b[bp + j];
            c[c0 + j] += x0 * y;
            c[c1 + j] += x1 * y;
            c[c2 + j] += x2 * y;
            c[c3 + j] += x3 * y;
          }
        }
      }
      for (; i < m; i++) {
        const c0 = cOff + i * n;
        for (let p = p0; p < p1; p++) {
          const x0 = a[aOff + i * sai + p * sap];
          const bp = bOff + p * n;
          for (let j = j0; j < j1; j++) c[c0 + j] += x0 * b[bp + j];
        }
      }
    }
  }
}

function dotProducts(
  m: number, n: number, k: number, a: FloatArray, aOff: number, sai: number, sap: number,
  b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean,
): void {
  for (let j0 = 0; j0 < n; j0 += JB) {
    const j1 = Math.min(n, j0 + JB);
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * sai;
      const ci = cOff + i * n;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const b0 = bOff + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0, ap = ai; p < k; p++, ap += sap) {
          const x = a[ap];
          s0 += x * b[b0 + p];
          s1 += x * b[b1 + p];
          s2 += x * b[b2 + p];
          s3 += x * b[b3 + p];
        }
        if (accumulate) {
          c[ci + j] += s0; c[ci + j + 1] += s1; c[ci + j + 2] += s2; c[ci + j + 3] += s3;
        } else {
          c[ci + j] = s0; c[ci + j + 1] = s1; c[ci + j + 2] = s2; c[ci + j + 3] = s3;
        }
      }
      for (; j < j1; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0, ap = ai; p < k; p++, ap += sap) s += a[ap] * b[bj + p];
        c[ci + j] = accumulate ? c[ci + j] + s : s;
      }
    }
  }
}
