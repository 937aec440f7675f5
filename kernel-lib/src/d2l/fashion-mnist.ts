import { DataLoader } from "../data/dataloader";
import { Dataset } from "../data/dataset";
import { Subset } from "../data/subset";
import { FashionMNIST } from "../datasets/mnist";
import { Tensor } from "../tensor/tensor";
import { resizeImage } from "./resize";

const TEXT_LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

/** d2l.get_fashion_mnist_labels: the text label of each class index 0..9. */
export function getFashionMnistLabels(labels: Tensor | ArrayLike<number>): string[] {
  const values = labels instanceof Tensor ? Array.from(labels.dataSync(), Number) : Array.from(labels, Number);
  return values.map((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= TEXT_LABELS.length) {
      throw new Error(`getFashionMnistLabels: label ${i} is ${v}; Fashion-MNIST labels are integers 0..9`);
    }
    return TEXT_LABELS[v];
  });
}

export interface LoadFashionMnistOptions {
  /** Resize every image to resize x resize pixels (bilinear), as the book's `resize` argument. */
  resize?: number;
  /** Use only the first trainLimit training images (default: all 60,000), for quick runs. */
  trainLimit?: number;
  /** Use only the first testLimit test images (default: all 10,000). */
  testLimit?: number;
  /** A folder searched first for the IDX files. */
  root?: string;
}

type Item = [Tensor, number];

/**
 * d2l.load_data_fashion_mnist: [trainIter, testIter], DataLoaders over Fashion-MNIST with images
 * [batch, 1, 28, 28] float32 in 0..1 and int32 labels; the training set is reshuffled every epoch.
 * `loadDataFashionMnist(256)`, `loadDataFashionMnist(256, 64)` (resized) or
 * `loadDataFashionMnist(256, { trainLimit: 2000, testLimit: 1000 })` (the first images only).
 */
export function loadDataFashionMnist(batchSize: number, resizeOrOptions?: number | LoadFashionMnistOptions): [DataLoader<Item>, DataLoader<Item>] {
  const opts: LoadFashionMnistOptions = typeof resizeOrOptions === "number" ? { resize: resizeOrOptions } : resizeOrOptions ?? {};
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`loadDataFashionMnist: batchSize must be a positive integer, got ${batchSize}`);
  const { resize } = opts;
  if (resize !== undefined && (!Number.isInteger(resize) || resize < 1)) {
    throw new Error(`loadDataFashionMnist: resize must be a positive integer (pixels), got ${resize}`);
  }
  const transform = resize === undefined ? undefined : (img: Tensor) => resizeImage(img, resize);
  const train = new FashionMNIST({ root: opts.root, train: true, transform });
  const test = new FashionMNIST({ root: opts.root, train: false, transform });
  return [
    new DataLoader(firstOf(train, opts.trainLimit, "trainLimit"), { batchSize, shuffle: true }),
    new DataLoader(firstOf(test, opts.testLimit, "testLimit"), { batchSize, shuffle: false }),
  ];
}

function firstOf(dataset: Dataset<Item>, limit: number | undefined, name: string): Dataset<Item> {
  if (limit === undefined) return dataset;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`loadDataFashionMnist: ${name} must be a positive integer, got ${limit}`);
  if (limit >= dataset.length) return dataset;
  return new Subset(dataset, Int32Array.from({ length: limit }, (_, i) => i));
}
