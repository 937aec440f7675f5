import { Generator, defaultGenerator } from "../tensor/random";
import { Collated, collate } from "./collate";
import { Dataset } from "./dataset";
import { randomPermutation } from "./sampling";

export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the order at the start of every pass (default false), drawing from `generator`. */
  shuffle?: boolean;
  /** Drop the last batch when it would be smaller than batchSize (default false). */
  dropLast?: boolean;
  /** The random generator for shuffling (default: torch's seeded default generator). */
  generator?: Generator;
}

/**
 * torch.utils.data.DataLoader: iterate over batches, `for (const [X, y] of loader)`. Each pass is a new epoch
 * (a new order when shuffling). `length` is the number of batches per pass.
 */
export class DataLoader<Item = unknown> implements Iterable<Collated<Item>> {
  readonly dataset: Dataset<Item>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(dataset: Dataset<Item>, options: DataLoaderOptions = {}) {
    if (!(dataset instanceof Dataset)) {
      throw new Error("DataLoader: the first argument must be a Dataset (for example new TensorDataset(X, y))");
    }
    const { batchSize = 1, shuffle = false, dropLast = false, generator = defaultGenerator } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
  }

  /** The number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Collated<Item>> {
    const n = this.dataset.length;
    const order = this.shuffle ? randomPermutation(n, this.generator) : null;
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const end = Math.min(start + this.batchSize, n);
      const indices = order ? order.subarray(start, end) : range(start, end);
      yield this.fetch(indices);
    }
  }

  private fetch(indices: Int32Array): Collated<Item> {
    if (this.dataset.getBatch !== undefined) return this.dataset.getBatch(indices) as Collated<Item>;
    const items: Item[] = new Array(indices.length);
    for (let k = 0; k < indices.length; k++) items[k] = this.dataset.getItem(indices[k]);
    return collate(items) as Collated<Item>;
  }
}

function range(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
