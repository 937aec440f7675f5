import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

describe("creation", () => {
  it("accepts shapes as numbers or one array, with options", () => {
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones([2, 3]).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(torch.zeros(2, 3, { dtype: "int32" }).dtype).toBe("int32");
    expect(torch.empty([4], { dtype: "float64" }).dtype).toBe("float64");
    expect(torch.full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.zeros([]).shape).toEqual([]);
    expect(torch.randn(2, 3, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(torch.zerosLike(torch.ones(2, 2, { dtype: "int32" })).dtype).toBe("int32");
    expect(torch.onesLike(torch.ones(3)).tolist()).toEqual([1, 1, 1]);
    expect(torch.randnLike(torch.ones(2, 5)).shape).toEqual([2, 5]);
  });

  it("tensor() infers shape and dtype from JS data", () => {
    expect(torch.tensor(3.5).shape).toEqual([]);
    expect(torch.tensor(3.5).item()).toBe(3.5);
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32"); // JS numbers have no int/float distinction
    expect(torch.tensor([true, false]).dtype).toBe("bool");
    expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(torch.tensor([1, 2], { dtype: "int32" }).dtype).toBe("int32");
    const src = new Float32Array([1, 2]);
    const copy = torch.tensor(src);
    src[0] = 9;
    expect(copy.tolist()).toEqual([1, 2]);
  });

  it("arange, linspace, eye match PyTorch's definitions", () => {
    expect(torch.arange(4).tolist()).toEqual([0, 1, 2, 3]);
    expect(torch.arange(1, 4).tolist()).toEqual([1, 2, 3]);
    expect(torch.arange(0, 1, 0.25).tolist()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(torch.arange(3, 0, -1).tolist()).toEqual([3, 2, 1]);
    expect(torch.arange(-8.0, 8.0, 0.1).shape).toEqual([160]);
    expect(torch.arange(5, { dtype: "int32" }).dtype).toBe("int32");
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.eye(2).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(torch.eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it("random creation is seeded, in range, and has the right moments", () => {
    torch.manualSeed(42);
    const a = torch.randn(1000).tolist();
    torch.manualSeed(42);
    expect(torch.randn(1000).tolist()).toEqual(a);
    const r = torch.rand(10000).dataSync();
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r)).toBeLessThan(1);
    const n = torch.normal(3, 2, [20000]);
    expect(Math.abs(n.mean().item() - 3)).toBeLessThan(0.05);
    expect(Math.abs(n.std().item() - 2)).toBeLessThan(0.05);
    const ri = torch.randint(2, 5, [1000]);
    expect(ri.dtype).toBe("int32");
    expect(ri.min().item()).toBe(2);
    expect(ri.max().item()).toBe(4);
    expect(torch.randint(3, [4]).shape).toEqual([4]);
    const p = torch.randperm(10);
    expect(p.dtype).toBe("int32");
    expect([...p.dataSync()].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("dtype rules", () => {
  it("follows PyTorch's promotion for the dtypes here", () => {
    const i = torch.tensor([1, 2, 3], { dtype: "int32" });
    expect(i.add(1).dtype).toBe("int32");
    expect(i.add(0.5).dtype).toBe("float32");
    expect(i.div(2).dtype).toBe("float32");
    expect(i.div(2).tolist()).toEqual([0.5, 1, 1.5]);
    expect(i.add(torch.ones(3)).dtype).toBe("float32");
    expect(torch.ones(2).add(torch.ones(2, { dtype: "float64" })).dtype).toBe("float64");
    expect(torch.ones(2).mul(3).dtype).toBe("float32");
    expect(i.exp().dtype).toBe("float32");
    expect(i.gt(1).dtype).toBe("bool");
    expect(i.gt(1).sum().dtype).toBe("int32");
    expect(i.gt(1).sum().item()).toBe(2);
    expect(torch.tensor([1.7, -1.7]).int().tolist()).toEqual([1, -1]);
    expect(torch.tensor([0, 2]).bool().tolist()).toEqual([0, 1]);
    const f = torch.ones(2);
    expect(f.float()).toBe(f); // same dtype: the same tensor, as PyTorch
    expect(f.to("float64").dtype).toBe("float64");
    expect(f.to("cpu")).toBe(f);
  });
});

describe("elementwise, reductions, matmul forward", () => {
  it("broadcasts numbers and tensors both ways", () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.add(torch.tensor([10, 20, 30])).tolist()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(x.mul(torch.tensor([[2], [3]])).tolist()).toEqual([[2, 4, 6], [12, 15, 18]]);
    expect(torch.sub(10, x).tolist()).toEqual([[9, 8, 7], [6, 5, 4]]);
    expect(x.pow(2).tolist()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(torch.tensor([1, 2, 3]).reshape(3, 1).add(torch.tensor([10, 20])).tolist()).toEqual([[11, 21], [12, 22], [13, 23]]);
  });

  it("reductions with dim and keepdim; max(dim) gives values and indices both ways", () => {
    const x = torch.tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).tolist()).toEqual([5, 7, 9]);
    expect(x.sum(1, true).tolist()).toEqual([[9], [12]]);
    expect(x.mean(-1).tolist()).toEqual([3, 4]);
    expect(x.max().item()).toBe(6);
    const { values, indices } = x.max(1);
    expect(values.tolist()).toEqual([5, 6]);
    expect(indices.tolist()).toEqual([1, 2]);
    expect(indices.dtype).toBe("int32");
    const [v0, i0] = torch.max(x, 0);
    expect(v0.tolist()).toEqual([4, 5, 6]);
    expect(i0.tolist()).toEqual([1, 0, 1]);
    expect(torch.min(x, 1, true).values.shape).toEqual([2, 1]);
    expect(x.argmax().item()).toBe(5);
    expect(torch.argmax(x, 1).tolist()).toEqual([1, 2]);
    expect(torch.tensor([3, 4]).norm().item()).toBe(5);
    expect(torch.max(x, torch.full([3], 4)).tolist()).toEqual([[4, 5, 4], [4, 4, 6]]);
  });

  it("matmul of 1-D, 2-D and batched operands", () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    const b = torch.tensor([[5, 6], [7, 8]]);
    expect(a.matmul(b).tolist()).toEqual([[19, 22], [43, 50]]);
    expect(a.matmul(torch.tensor([1, 1])).tolist()).toEqual([3, 7]);
    expect(torch.tensor([1, 1]).matmul(a).tolist()).toEqual([4, 6]);
    expect(torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4])).item()).toBe(11);
    expect(torch.stack([a, b]).matmul(a).tolist()).toEqual([[[7, 10], [15, 22]], [[23, 34], [31, 46]]]);
    expect(a.T.tolist()).toEqual([[1, 3], [2, 4]]);
  });

  it("large products agree with a naive triple loop (all blocked paths)", () => {
    torch.manualSeed(5);
    for (const [m, k, n] of [[37, 150, 530], [129, 70, 3], [5, 300, 67]]) {
      const A = torch.randn(m, k, { dtype: "float64" });
      const B = torch.randn(k, n, { dtype: "float64" });
      const C = A.matmul(B).dataSync();
      const a = A.dataSync(), bb = B.dataSync();
      for (let i = 0; i < m; i += 7) for (let j = 0; j < n; j += 11) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * bb[p * n + j];
        expect(C[i * n + j]).toBeCloseTo(s, 9);
      }
      // the transposed fast paths: A·(Bᵀ)ᵀ through linear, and gradients through Aᵀ·g
      const viaLinear = torch.nn.functional.linear(A, B.T).dataSync();
      for (let i = 0; i < C.length; i += 13) expect(viaLinear[i]).toBeCloseTo(C[i], 9);
    }
  });

  it("comparisons, where, clamp, maximum", () => {
    const x = torch.tensor([-2, 0, 3]);
    expect(x.gt(0).tolist()).toEqual([0, 0, 1]);
    expect(torch.where(x.gt(0), x, torch.zerosLike(x)).tolist()).toEqual([0, 0, 3]);
    expect(x.clamp(-1, 1).tolist()).toEqual([-1, 0, 1]);
    expect(torch.maximum(x, torch.tensor(1)).tolist()).toEqual([1, 1, 3]);
    expect(x.eq(0).logicalNot().tolist()).toEqual([1, 0, 1]);
  });

  it("activations match their definitions at a few points", () => {
    const F = torch.nn.functional;
    const x = torch.tensor([-1, 0, 2], { dtype: "float64" });
    expect(F.relu(x).tolist()).toEqual([0, 0, 2]);
    expect(F.leakyRelu(x).tolist()).toEqual([-0.01, 0, 2]);
    expect(F.elu(x).dataSync()[0]).toBeCloseTo(Math.exp(-1) - 1, 12);
    expect(F.gelu(x).dataSync()[2]).toBeCloseTo(1.9544997361036416, 6);
    expect(F.softsign(x).tolist()).toEqual([-0.5, 0, 2 / 3]);
    expect(F.hardtanh(x).tolist()).toEqual([-1, 0, 1]);
    expect(F.softplus(torch.tensor([30])).item()).toBe(30); // above the threshold: linear
    expect(F.logsigmoid(torch.tensor([-200], { dtype: "float64" })).item()).toBeCloseTo(-200, 9); // stable
    expect(F.softmax(torch.tensor([1000, 1000]), 0).tolist()).toEqual([0.5, 0.5]); // stable
  });
});

describe("views and copies", () => {
  it("reshape/view/flatten/unsqueeze/squeeze share storage", () => {
    const x = torch.zeros(2, 3);
    const v = x.view(6);
    v.fill_(1);
    expect(x.sum().item()).toBe(6);
    x.reshape(3, 2).mul_(2);
    expect(x.tolist()).toEqual([[2, 2, 2], [2, 2, 2]]);
    x.unsqueeze(0).flatten().squeeze().add_(1);
    expect(x.max().item()).toBe(3);
  });
  it("transpose/narrow/clone copy", () => {
    const x = torch.zeros(2, 3);
    x.T.fill_(1);
    x.narrow(1, 0, 2).fill_(1);
    x.clone().fill_(1);
    expect(x.sum().item()).toBe(0);
  });
  it("indexing helpers", () => {
    const x = torch.arange(12).reshape(3, 4);
    expect(x.indexSelect(0, torch.tensor([2, 0], { dtype: "int32" })).tolist()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(x.narrow(1, 1, 2).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(x.select(0, -1).tolist()).toEqual([8, 9, 10, 11]);
    expect(x.index([torch.tensor([0, 2], { dtype: "int32" }), torch.tensor([3, 1], { dtype: "int32" })]).tolist()).toEqual([3, 9]);
    expect(x.gather(1, torch.tensor([[0], [1], [3]], { dtype: "int32" })).tolist()).toEqual([[0], [5], [11]]);
    expect(torch.cat([x, x], 1).shape).toEqual([3, 8]);
    expect(torch.stack([x, x], 1).shape).toEqual([3, 2, 4]);
    expect(x.maskedSelect(x.gt(8)).tolist()).toEqual([9, 10, 11]);
    expect(x.size()).toEqual([3, 4]);
    expect(x.size(-1)).toBe(4);
  });
});

describe("printing", () => {
  it("prints like PyTorch", () => {
    expect(String(torch.tensor([[1, 2], [3, 4]]))).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(String(torch.tensor([0.5, -1.25]))).toBe("tensor([ 0.5000, -1.2500])");
    expect(String(torch.tensor([1, 2], { dtype: "int32" }))).toBe("tensor([1, 2])");
    expect(String(torch.ones(2, { requiresGrad: true }))).toBe("tensor([1., 1.], requiresGrad=true)");
    expect(String(torch.tensor(3))).toBe("tensor(3.)");
    expect(String(torch.zeros(2000))).toMatch(/^tensor\(\[0\., 0\., 0\., \.\.\., 0\., 0\., 0\.\]\)$/);
  });
});

describe("cat and narrow over many outer rows (placed by transposing, not row by row)", () => {
  // A plain-array reference: cat along dim 1 of [outer, d_k, inner] blocks.
  const reference = (parts: number[][][][]): number[][][] =>
    parts[0].map((_, o) => parts.flatMap((p) => p[o]));
  const block = (outer: number, d: number, inner: number, base: number): number[][][] =>
    Array.from({ length: outer }, (_, o) => Array.from({ length: d }, (_, j) => Array.from({ length: inner }, (_, i) => base + o * 100 + j * 10 + i)));

  it("cat along dim 1 of 20 rows matches the reference, keeps -0 and promotes dtypes", () => {
    const a = block(20, 2, 3, 0.5), b = block(20, 1, 3, 0.25), c = block(20, 3, 3, -7);
    a[4][1][2] = -0;
    const out = torch.cat([torch.tensor(a), torch.tensor(b), torch.tensor(c)], 1);
    expect(out.shape).toEqual([20, 6, 3]);
    expect(out.tolist()).toEqual(reference([a, b, c]));
    expect(Object.is((out.tolist() as number[][][])[4][1][2], -0)).toBe(true);
    const ints = torch.tensor(block(12, 2, 1, 3), { dtype: "int32" });
    const floats = torch.tensor(block(12, 1, 1, 0.5));
    const mixed = torch.cat([ints, floats], 1);
    expect(mixed.dtype).toBe("float32");
    expect(mixed.tolist()).toEqual(reference([block(12, 2, 1, 3), block(12, 1, 1, 0.5)]));
  });

  it("cat along the last dim, with an empty block, and its gradient through narrow", () => {
    const x = torch.tensor(block(16, 4, 1, 1).map((r) => r.map((v) => v[0]))).requiresGrad_();
    const empty = torch.zeros([16, 0]);
    const y = torch.tensor(block(16, 2, 1, 2).map((r) => r.map((v) => v[0])));
    const out = torch.cat([x, empty, y], 1);
    expect(out.shape).toEqual([16, 6]);
    const ys = y.tolist() as number[][];
    expect(out.tolist()).toEqual((x.tolist() as number[][]).map((r, o) => [...r, ...ys[o]]));
    const w = torch.arange(0, 96).reshape([16, 6]);
    out.mul(w).sum().backward();
    expect(x.grad!.tolist()).toEqual((w.tolist() as number[][]).map((r) => r.slice(0, 4)));
  });
});
