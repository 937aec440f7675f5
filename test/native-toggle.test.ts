// setNativeBlasEnabled(false) routes float32 products to the WebAssembly kernels for the rest of the process
// (tests that must exercise them use it); the products stay correct either way.
import { afterAll, describe, expect, it } from "vitest";
import { gemm } from "../kernel-lib/src/backends/cpu/gemm";
import { nativeGemmF32, nativeSgemm, setNativeBlasEnabled } from "../kernel-lib/src/backends/cpu/native";

afterAll(() => {
  setNativeBlasEnabled(true);
});

function product(): Float32Array {
  const a = Float32Array.from({ length: 6 }, (_, i) => i + 1); // [2,3]
  const b = Float32Array.from({ length: 12 }, (_, i) => (i % 5) - 2); // [3,4]
  const c = new Float32Array(8);
  gemm(false, false, 2, 4, 3, a, 0, b, 0, c, 0, false);
  return c;
}

describe("setNativeBlasEnabled", () => {
  it("switches the native path off and back, returning the previous setting", () => {
    const before = setNativeBlasEnabled(false);
    expect(before).toBe(true);
    expect(nativeSgemm()).toBeNull();
    const c = new Float32Array(1);
    expect(nativeGemmF32(false, false, 1, 1, 1, new Float32Array([2]), 0, new Float32Array([3]), 0, c, 0, false)).toBe(false);
    expect(c[0]).toBe(0);
    const off = product();
    expect(setNativeBlasEnabled(true)).toBe(false);
    expect(Array.from(product())).toEqual(Array.from(off));
    // [[1,2,3],[4,5,6]] · [[-2,-1,0,1],[2,-2,-1,0],[1,2,-2,-1]]
    expect(Array.from(off)).toEqual([5, 1, -8, -2, 8, -2, -17, -2]);
  });
});
