import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { Generator, defaultGenerator } from "../kernel-lib/src/tensor/random";
import { DataLoader, Dataset, Subset, TensorDataset, randomSplit } from "../kernel-lib/src/data/index";
import { randperm } from "../kernel-lib/src/tensor/creation";

/** X row i is [i, 10i + 0.5], y[i] = i; so every batch row tells which sample it is. */
function toy(n: number): TensorDataset {
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 10 * i + 0.5;
  }
  return new TensorDataset(Tensor.fromTypedArray(x, [n, 2]), Tensor.fromTypedArray(Int32Array.from({ length: n }, (_, i) => i), [n]));
}

/** Items as [Tensor, number], without getBatch: the collate path. */
class Squares extends Dataset<[Tensor, number]> {
  constructor(private readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): [Tensor, number] {
    return [Tensor.fromTypedArray(new Float32Array([i, i * i]), [1, 2]), i % 3];
  }
}

function labels(loader: DataLoader<Tensor[]>): number[][] {
  return [...loader].map(([, y]) => Array.from(y.dataSync()));
}

describe("TensorDataset", () => {
  it("indexes rows and gathers batches by typed-array copies", () => {
    const ds = toy(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.getItem(3);
    expect(x.shape).toEqual([2]);
    expect(x.tolist()).toEqual([3, 30.5]);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(3);
    expect(ds.getItem(-1)[1].item()).toBe(4);
    const [X, Y] = ds.getBatch(Int32Array.from([4, 0, 2]));
    expect(X.shape).toEqual([3, 2]);
    expect(X.tolist()).toEqual([[4, 40.5], [0, 0.5], [2, 20.5]]);
    expect(Y.dtype).toBe("int32");
    expect(Y.tolist()).toEqual([4, 0, 2]);
  });

  it("rejects mismatched sizes and out-of-range indices", () => {
    const a = Tensor.fromTypedArray(new Float32Array(6), [3, 2]);
    const b = Tensor.fromTypedArray(new Int32Array(4), [4]);
    expect(() => new TensorDataset(a, b)).toThrow(/tensor 0 has 3 samples \[3,2\] but tensor 1 has 4 \[4\]/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => toy(3).getItem(3)).toThrow(/index 3 is out of range for a dataset of 3 samples/);
    expect(() => toy(3).getBatch([0, 7])).toThrow(/TensorDataset.getBatch: index 7 is out of range/);
  });
});

describe("DataLoader", () => {
  it("counts batches with and without dropLast and keeps order without shuffle", () => {
    const ds = toy(10);
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropping = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropping.length).toBe(2);
    expect(labels(dropping)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(ds).length).toBe(10);
    expect(new DataLoader(toy(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(toy(0), { batchSize: 4 }).length).toBe(0);
    expect([...new DataLoader(toy(0), { batchSize: 4 })]).toEqual([]);
  });

  it("yields [X, y] pairs that stay consistent row by row", () => {
    for (const [X, y] of new DataLoader(toy(7), { batchSize: 3, shuffle: true })) {
      const xs = X.tolist() as number[][];
      const ys = y.tolist() as number[];
      xs.forEach((row, k) => expect(row).toEqual([ys[k], 10 * ys[k] + 0.5]));
    }
  });

  it("shuffles with the seeded default generator: a permutation, the same after reseeding, new each epoch", () => {
    const loader = new DataLoader(toy(20), { batchSize: 6, shuffle: true });
    defaultGenerator.manualSeed(123);
    const epoch1 = labels(loader);
    const epoch2 = labels(loader);
    defaultGenerator.manualSeed(123);
    expect(labels(loader)).toEqual(epoch1);
    expect(epoch1.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(epoch1.map((b) => b.length)).toEqual([6, 6, 6, 2]);
    expect(epoch2).not.toEqual(epoch1);
    expect(epoch1.flat()).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("draws the same order as torch.randperm after the same seed", () => {
    defaultGenerator.manualSeed(11);
    const perm = randperm(10).tolist();
    defaultGenerator.manualSeed(11);
    expect(labels(new DataLoader(toy(10), { batchSize: 10, shuffle: true }))[0]).toEqual(perm);
  });

  it("takes its own generator when given one", () => {
    const a = new DataLoader(toy(12), { batchSize: 5, shuffle: true, generator: new Generator(7) });
    const b = new DataLoader(toy(12), { batchSize: 5, shuffle: true, generator: new Generator(7) });
    expect(labels(a)).toEqual(labels(b));
  });

  it("collates getItem results when the dataset has no getBatch: tensors stacked, numbers into int32", () => {
    const loader = new DataLoader(new Squares(5), { batchSize: 2 });
    const batches = [...loader];
    expect(batches.length).toBe(3);
    const [X, y] = batches[1];
    expect(X.shape).toEqual([2, 1, 2]);
    expect(X.tolist()).toEqual([[[2, 4]], [[3, 9]]]);
    expect(y.dtype).toBe("int32");
    expect(y.tolist()).toEqual([2, 0]);
    expect(batches[2][0].shape).toEqual([1, 1, 2]);
  });

  it("explains bad arguments", () => {
    expect(() => new DataLoader(toy(3), { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(toy(3), { batchSize: 1.5 })).toThrow(/got 1.5/);
    expect(() => new DataLoader([1, 2] as unknown as Dataset<number>)).toThrow(/must be a Dataset/);
    class Ragged extends Dataset<Tensor> {
      get length(): number {
        return 2;
      }
      getItem(i: number): Tensor {
        return Tensor.fromTypedArray(new Float32Array(i + 1), [i + 1]);
      }
    }
    expect(() => [...new DataLoader(new Ragged(), { batchSize: 2 })]).toThrow(/cannot stack sample 1 \(float32 \[2\]\) with sample 0 \(float32 \[1\]\)/);
  });
});

describe("Subset and randomSplit", () => {
  it("Subset maps indices for getItem and for the bulk getBatch path", () => {
    const sub = new Subset(toy(10), [7, 2, 5]);
    expect(sub.length).toBe(3);
    expect(sub.getItem(0)[1].item()).toBe(7);
    expect(sub.getBatch).toBeDefined();
    expect(sub.getBatch!([2, 0])[1].tolist()).toEqual([5, 7]);
    expect(labels(new DataLoader(sub, { batchSize: 2 }))).toEqual([[7, 2], [5]]);
    expect(new Subset(new Squares(4), [1]).getBatch).toBeUndefined();
    expect(() => new Subset(toy(3), [5])).toThrow(/Subset: index 5 is out of range for a dataset of 3 samples/);
  });

  it("randomSplit partitions the dataset by counts, seeded", () => {
    defaultGenerator.manualSeed(5);
    const [a, b] = randomSplit(toy(10), [7, 3]);
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    defaultGenerator.manualSeed(5);
    const [a2] = randomSplit(toy(10), [7, 3]);
    expect(Array.from(a2.indices)).toEqual(Array.from(a.indices));
  });

  it("randomSplit accepts fractions and spreads the remainder round-robin like PyTorch", () => {
    const parts = randomSplit(toy(11), [0.5, 0.3, 0.2], new Generator(1));
    // floor(5.5)=5, floor(3.3)=3, floor(2.2)=2, remainder 1 goes to the first
    expect(parts.map((p) => p.length)).toEqual([6, 3, 2]);
    expect(randomSplit(toy(10), [0.25, 0.75], new Generator(1)).map((p) => p.length)).toEqual([3, 7]);
  });

  it("randomSplit rejects lengths that do not add up", () => {
    expect(() => randomSplit(toy(10), [5, 4])).toThrow(/lengths \[5, 4\] must be integers summing to the dataset's length 10/);
    expect(() => randomSplit(toy(10), [-1, 11])).toThrow(/non-negative/);
  });
});
