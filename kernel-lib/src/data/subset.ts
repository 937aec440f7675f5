import { Generator, defaultGenerator } from "../tensor/random";
import { Tensor } from "../tensor/tensor";
import { Dataset, checkIndex } from "./dataset";
import { randomPermutation } from "./sampling";

/** torch.utils.data.Subset: the samples of `dataset` at `indices`, in that order. */
export class Subset<Item = unknown> extends Dataset<Item> {
  readonly dataset: Dataset<Item>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<Item>, indices: ArrayLike<number>) {
    super();
    const n = dataset.length;
    this.dataset = dataset;
    this.indices = Int32Array.from(indices, (i) => checkIndex("Subset", i, n));
    const base = dataset.getBatch;
    if (base !== undefined) {
      // keep the bulk path: map subset positions to the parent's indices
      this.getBatch = (positions: ArrayLike<number>): Tensor[] => {
        const mapped = new Int32Array(positions.length);
        for (let k = 0; k < positions.length; k++) {
          mapped[k] = this.indices[checkIndex("Subset.getBatch", positions[k], this.indices.length)];
        }
        return base.call(dataset, mapped);
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): Item {
    return this.dataset.getItem(this.indices[checkIndex("Subset.getItem", index, this.indices.length)]);
  }
}

/**
 * torch.utils.data.randomSplit: split `dataset` into non-overlapping random subsets of the given lengths, either
 * counts summing to the dataset's length or fractions summing to 1 (the remainder goes round-robin, as in PyTorch).
 */
export function randomSplit<Item>(
  dataset: Dataset<Item>,
  lengths: readonly number[],
  generator: Generator = defaultGenerator,
): Subset<Item>[] {
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((l) => !(l >= 0) || !Number.isFinite(l))) {
    throw new Error(`randomSplit: lengths must be non-negative numbers, got [${lengths.join(", ")}]`);
  }
  if (Math.abs(total - 1) <= 1e-9 && total <= n) {
    sizes = sizes.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  }
  if (!sizes.every(Number.isInteger) || sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new Error(
      `randomSplit: lengths [${lengths.join(", ")}] must be integers summing to the dataset's length ${n} or fractions summing to 1`,
    );
  }
  const perm = randomPermutation(n, generator);
  const out: Subset<Item>[] = [];
  let offset = 0;
  for (const size of sizes) {
    out.push(new Subset(dataset, perm.subarray(offset, offset + size)));
    offset += size;
  }
  return out;
}
