import type { Tensor } from "../tensor/tensor";
import { installItemAccess } from "../tensor/item-access";

/**
 * torch.utils.data.Dataset: subclass it and implement `getItem` and `length` (PyTorch's __getitem__ and
 * __len__). Items are usually `[input, label]` with the label a tensor or a plain number.
 *
 * A dataset that holds its samples in bulk tensors (TensorDataset, MNIST) also implements `getBatch`, which
 * the DataLoader prefers: it assembles a whole batch with typed-array copies instead of per-sample objects.
 */
export abstract class Dataset<Item = unknown> {
  /** `ds[i]` is `ds.getItem(i)` (PyTorch's `ds[i]`); negative i counts from the end; out of range is an error. */
  readonly [index: number]: Item;
  abstract getItem(index: number): Item;
  abstract get length(): number;

  /** Optional bulk path: the collated batch for these sample indices (one tensor per item field). */
  getBatch?(indices: ArrayLike<number>): Tensor[];
}

export function checkIndex(op: string, index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new Error(`${op}: index ${index} is out of range for a dataset of ${length} samples`);
  }
  return index < 0 ? index + length : index;
}

installItemAccess(Dataset.prototype, {
  what: "Dataset",
  getItem: (ds, i) => {
    const d = ds as Dataset;
    return d.getItem(checkIndex(`${d.constructor.name}[index]`, i, d.length));
  },
});
