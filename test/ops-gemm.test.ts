import { describe, expect, it } from "vitest";
import { gemm } from "../kernel-lib/src/backends/cpu/gemm";

/** Reference C (+)= op(A)·op(B) by the definition. */
function naive(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c0: Float64Array | null): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = c0 ? c0[i * n + j] : 0;
    for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
    c[i * n + j] = s;
  }
  return c;
}

describe("gemm (the CPU matmul entry point)", () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [4, 4, 4], [13, 262, 130], [33, 9, 300], [2, 3, 0]]) {
    for (const transA of [false, true]) for (const transB of [false, true]) for (const accumulate of [false, true]) {
      it(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB} accumulate=${accumulate}`, () => {
        const aOff = 3, bOff = 5, cOff = 2;
        const a = Float64Array.from({ length: aOff + m * k }, rnd);
        const b = Float64Array.from({ length: bOff + k * n }, rnd);
        const c = Float64Array.from({ length: cOff + m * n + 4 }, rnd);
        const before = c.slice();
        const want = naive(transA, transB, m, n, k, a.subarray(aOff), b.subarray(bOff), accumulate ? before.subarray(cOff, cOff + m * n) : null);
        gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        for (let i = 0; i < m * n; i++) expect(c[cOff + i]).toBeCloseTo(want[i], 10);
        // nothing outside C's window is touched
        expect(c[0]).toBe(before[0]);
        expect(c[cOff + m * n]).toBe(before[cOff + m * n]);
      });
    }
  }
  it("float32 storage", () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([1, 0, 0, 1, 1, 1]);
    const c = new Float32Array(4);
    gemm(false, false, 2, 2, 3, a, 0, b, 0, c, 0, false);
    expect([...c]).toEqual([4, 5, 10, 11]);
  });
});
