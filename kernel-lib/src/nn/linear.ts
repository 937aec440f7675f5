import { Tensor } from "../tensor/tensor";
import * as F from "./functional";
import { kaimingUniform_, uniform_ } from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

/**
 * torch.nn.Linear: y = x Wᵀ + b with W of shape [outFeatures, inFeatures]. Initialised as PyTorch does:
 * W by kaiming-uniform with a = sqrt(5) (so U(±1/sqrt(in))), b by U(±1/sqrt(in)), drawn in that order.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: { bias?: boolean; dtype?: "float32" | "float64" } = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Linear: ${name} must be a non-negative integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = options.dtype ?? "float32";
    this.weight = new Parameter(Tensor.emptyLongLived([outFeatures, inFeatures], dtype));
    this.bias = options.bias === false ? null : new Parameter(Tensor.emptyLongLived([outFeatures], dtype));
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) {
      const what = Array.isArray(input) ? "an array" : input === null ? "null" : typeof input;
      throw new Error(`Linear.forward: expected a Tensor, got ${what}; make one with torch.tensor(...)`);
    }
    const last = input.shape[input.shape.length - 1];
    if (input.dim() === 0 || last !== this.inFeatures) {
      const flat = input.shape.slice(1).reduce((a, b) => a * b, 1);
      const hint = input.dim() > 2 && flat === this.inFeatures
        ? `; flatten the input first (nn.Flatten(), or X.reshape(-1, ${this.inFeatures}))`
        : `: its last dim has ${input.dim() === 0 ? "no" : last} features; make the previous layer's output size ` +
          `(or the data's feature count) equal this layer's inFeatures` + (input.dim() > 2 ? ", and flatten images (nn.Flatten())" : "");
      throw new Error(`Linear.forward: input of shape [${input.shape.join(",")}] does not end in inFeatures=${this.inFeatures}${hint}`);
    }
    return F.linear(input, this.weight, this.bias ?? undefined);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}
