import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { Generator } from "../kernel-lib/src/tensor/random";

describe("Tensor storage contract", () => {
  it("wraps a typed array and reads it back as nested lists", () => {
    const t = Tensor.fromTypedArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t.dtype).toBe("float32");
    expect(t.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => Tensor.fromTypedArray(new Float32Array(5), [2, 3])).toThrow(/5 elements cannot have shape \[2,3\]/);
  });
  it("seeded generator repeats its stream", () => {
    const a = new Generator(42), b = new Generator(42);
    const xs = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xs);
    const u = Array.from({ length: 10000 }, () => a.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });
});
