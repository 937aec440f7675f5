import { Dataset, checkIndex } from "../data/dataset";
import { Tensor } from "../tensor/tensor";
import { readIdxImagesAndLabels } from "./idx";
import type { SplitFiles } from "./locate";

/** A function applied to each image tensor [C,H,W] (e.g. a normalization), like torchvision's transform. */
export type ImageTransform = (image: Tensor) => Tensor;
export type TargetTransform = (label: number) => number;

export interface IdxDatasetOptions {
  /** applied to each image [1,H,W] float32 in 0..1 */
  transform?: ImageTransform;
  /** applied to each label */
  targetTransform?: TargetTransform;
}

/**
 * Images and labels from a pair of IDX files, held in bulk: `.data` uint8 [N,H,W], `.targets` int32 [N].
 * Items are `[image [1,H,W] float32 in 0..1, label]`, the same as torchvision with ToTensor().
 */
export class IdxImageDataset extends Dataset<[Tensor, number]> {
  readonly data: Tensor;
  readonly targets: Tensor;
  readonly classes: string[];
  readonly train: boolean;
  /** the files the samples were read from */
  readonly files: SplitFiles;
  transform?: ImageTransform;
  targetTransform?: TargetTransform;
  private readonly name: string;
  private readonly pixels: Uint8Array;
  private readonly labels: Int32Array;
  private readonly rows: number;
  private readonly cols: number;

  constructor(name: string, files: SplitFiles, classes: string[], train: boolean, options: IdxDatasetOptions = {}) {
    super();
    const { images, labels } = readIdxImagesAndLabels(files.images, files.labels);
    const [n, rows, cols] = images.dims;
    const targets = new Int32Array(n);
    const raw = labels.data;
    for (let i = 0; i < n; i++) {
      const label = raw[i];
      if (label >= classes.length) {
        throw new Error(`${files.labels}: label ${label} at index ${i} is out of range for ${name}'s ${classes.length} classes`);
      }
      targets[i] = label;
    }
    this.name = name;
    this.files = files;
    this.classes = classes;
    this.train = train;
    this.rows = rows;
    this.cols = cols;
    this.pixels = images.data;
    this.labels = targets;
    this.data = Tensor.fromTypedArray(images.data, [n, rows, cols], "uint8");
    this.targets = Tensor.fromTypedArray(targets, [n], "int32");
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
  }

  get length(): number {
    return this.labels.length;
  }

  getItem(index: number): [Tensor, number] {
    const i = checkIndex(`${this.name}.getItem`, index, this.length);
    const size = this.rows * this.cols;
    const image = new Float32Array(size);
    const base = i * size;
    for (let k = 0; k < size; k++) image[k] = this.pixels[base + k] / 255;
    let tensor = Tensor.fromTypedArray(image, [1, this.rows, this.cols], "float32");
    if (this.transform) tensor = this.transform(tensor);
    const label = this.labels[i];
    return [tensor, this.targetTransform ? this.targetTransform(label) : label];
  }

  /** [images float32 [B,1,H,W] in 0..1 (or transformed), labels int32 [B]] for these sample indices. */
  override getBatch(indices: ArrayLike<number>): Tensor[] {
    const b = indices.length;
    const labels = new Int32Array(b);
    if (this.transform) return this.transformedBatch(indices, labels);
    const size = this.rows * this.cols;
    const images = new Float32Array(b * size);
    for (let j = 0; j < b; j++) {
      const i = checkIndex(`${this.name}.getBatch`, indices[j], this.length);
      const src = i * size;
      const dst = j * size;
      for (let k = 0; k < size; k++) images[dst + k] = this.pixels[src + k] / 255;
      labels[j] = this.targetTransform ? this.targetTransform(this.labels[i]) : this.labels[i];
    }
    return [Tensor.fromTypedArray(images, [b, 1, this.rows, this.cols], "float32"), Tensor.fromTypedArray(labels, [b], "int32")];
  }

  private transformedBatch(indices: ArrayLike<number>, labels: Int32Array): Tensor[] {
    return stackItems(`${this.name}.getBatch`, indices, labels, (i) => this.getItem(i));
  }
}

/** Collates items [image, label] into [images [B,...], labels int32 [B]] with typed-array copies. */
export function stackItems(op: string, indices: ArrayLike<number>, labels: Int32Array, item: (i: number) => [Tensor, number]): Tensor[] {
  const b = indices.length;
  if (b === 0) throw new Error(`${op}: cannot build an empty batch`);
  let shape: number[] = [];
  let out: Float32Array = new Float32Array(0);
  for (let j = 0; j < b; j++) {
    const [image, label] = item(indices[j]);
    if (j === 0) {
      shape = image.shape;
      out = new Float32Array(b * image.numel());
    } else if (image.shape.length !== shape.length || image.shape.some((d, k) => d !== shape[k])) {
      throw new Error(`${op}: item ${indices[j]} has shape [${image.shape.join(", ")}] but item ${indices[0]} has [${shape.join(", ")}]; a batch needs equal shapes`);
    }
    out.set(image.dataSync(), j * image.numel());
    labels[j] = label;
  }
  return [Tensor.fromTypedArray(out, [b, ...shape], "float32"), Tensor.fromTypedArray(labels, [b], "int32")];
}
