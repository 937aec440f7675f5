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
  /**
   * PyTorch's num_workers, accepted so the lecture line runs: batches are always assembled in the calling thread
   * (the bulk datasets copy whole batches at once, so worker processes would not pay for themselves here).
   */
  numWorkers?: number;
  /** PyTorch's pin_memory, accepted and ignored (there is no GPU transfer to speed up). */
  pinMemory?: boolean;
}

/**
 * torch.utils.data.DataLoader: iterate over batches, `for (const [X, y] of loader)`. Each pass is a new epoch
 * (a new order when shuffling). `length` is the number of batches per pass.
 */
// Item defaults to `any` so that a helper typed with the bare `DataLoader` (PyTorch's untyped
// `def train(loader: DataLoader)`) accepts every loader; its batches are then Tensor[] (see Collated).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class DataLoader<Item = any> implements Iterable<Collated<Item>> {
  readonly dataset: Dataset<Item>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  /** `new DataLoader(ds, { batchSize: 64, shuffle: true })`, or positionally as PyTorch's `DataLoader(ds, 64, true)`. */
  constructor(dataset: Dataset<Item>, batchSize?: number, shuffle?: boolean);
  constructor(dataset: Dataset<Item>, options?: DataLoaderOptions);
  constructor(dataset: Dataset<Item>, batchOrOptions: DataLoaderOptions | number = {}, shuffleArg?: boolean) {
    if (!(dataset instanceof Dataset)) {
      throw new Error("DataLoader: the first argument must be a Dataset (for example new TensorDataset(X, y))");
    }
    const options: DataLoaderOptions = typeof batchOrOptions === "number" ? { batchSize: batchOrOptions, shuffle: shuffleArg } : batchOrOptions;
    const { batchSize = 1, shuffle = false, dropLast = false, generator = defaultGenerator, numWorkers = 0 } = options;
    if (!Number.isInteger(numWorkers) || numWorkers < 0) {
      throw new Error(`DataLoader: numWorkers must be a non-negative integer, got ${numWorkers}`);
    }
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
