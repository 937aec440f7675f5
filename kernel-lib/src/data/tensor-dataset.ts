import { noGrad } from "../tensor/autograd";
import { allocate } from "../tensor/dtype";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Dataset, checkIndex } from "./dataset";

/**
 * torch.utils.data.TensorDataset: sample i is `[t0[i], t1[i], ...]`, rows along the first dimension of each tensor.
 * Batches are gathered row by row (getBatch: indexSelect along dim 0, one copy a row), never through per-sample tensors.
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
    const index = Tensor.fromTypedArray(rows, [count], "int32");
    // CPU tensors: indexSelect copies whole rows (natively where the addon is built); a batch carries no graph,
    // as before. Tensors on another device are gathered on the host, so batches stay CPU tensors there too.
    return this.tensors.map((t) => (t.device === "cpu" ? noGrad(() => t.indexSelect(0, index)) : gatherOnHost(t, rows)));
  }
}

function gatherOnHost(t: Tensor, rows: Int32Array): Tensor {
  const src = t.dataSync();
  const row = t.shape[0] === 0 ? 0 : src.length / t.shape[0];
  const out = allocate(t.dtype, rows.length * row);
  for (let k = 0; k < rows.length; k++) out.set(src.subarray(rows[k] * row, (rows[k] + 1) * row), k * row);
  return Tensor.fromTypedArray(out, [rows.length, ...t.shape.slice(1)], t.dtype);
}
