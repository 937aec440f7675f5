import { indexSelect } from "../backends/cpu/indexing";
import { allocate } from "../tensor/dtype";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Dataset, checkIndex } from "./dataset";

/**
 * torch.utils.data.TensorDataset: sample i is `[t0[i], t1[i], ...]`, rows along the first dimension of each tensor.
 * Batches are gathered row by row (getBatch: the CPU backend's indexSelect, one copy a row), never through per-sample tensors.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset: needs at least one tensor");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new Error(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.dim() === 0) throw new Error(`TensorDataset: tensor ${i} is 0-d; each tensor needs a first dimension of samples`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) {
      throw new Error(
        `TensorDataset: size mismatch between tensors: tensor 0 has ${n} samples ${formatShape(tensors[0].shape)} ` +
          `but tensor ${bad} has ${tensors[bad].shape[0]} ${formatShape(tensors[bad].shape)}`,
      );
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  getItem(index: number): Tensor[] {
    const i = checkIndex("TensorDataset.getItem", index, this.length);
    return this.gather([i]).map((t) => Tensor.fromTypedArray(t.dataSync(), t.shape.slice(1), t.dtype));
  }

  override getBatch(indices: ArrayLike<number>): Tensor[] {
    const n = this.length;
    for (let k = 0; k < indices.length; k++) checkIndex("TensorDataset.getBatch", indices[k], n);
    return this.gather(indices);
  }

  private gather(indices: ArrayLike<number>): Tensor[] {
    const count = indices.length;
    const n = this.length;
    const rows = new Int32Array(count);
    for (let k = 0; k < count; k++) rows[k] = indices[k] < 0 ? indices[k] + n : indices[k];
    return this.tensors.map((t) => {
      const src = t.dataSync();
      const row = n === 0 ? 0 : src.length / n;
      const out = allocate(t.dtype, count * row);
      indexSelect(src, 1, n, row, rows, out);
      return Tensor.fromTypedArray(out, [count, ...t.shape.slice(1)], t.dtype);
    });
  }
}
