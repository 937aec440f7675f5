import { Tensor } from "../tensor/tensor";

/**
 * torch.nn.Parameter: a leaf tensor that requires grad (by default) and that a Module holding it in a field
 * registers as one of its parameters. It shares the storage of the tensor it wraps, as in PyTorch.
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new Error(`Parameter: expected a Tensor to wrap, got ${typeof data}`);
    super(data._data, data.shape, data.dtype, data.device);
    this._version = data._version; // same storage, same version counter
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
