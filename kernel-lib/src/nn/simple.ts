import { Tensor } from "../tensor/tensor";
import * as F from "./functional";
import { Module } from "./module";
import { pyFloat } from "./repr";

/** torch.nn.Identity: returns its input. */
export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** torch.nn.Flatten: flattens dims startDim..endDim (default 1..-1, keeping the batch dimension). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** torch.nn.Dropout: zeroes each element with probability p in training mode and scales the rest by 1/(1-p). */
export class Dropout extends Module {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new Error(`Dropout: probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
  }
  override forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
