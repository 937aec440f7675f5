import { Tensor } from "../tensor/tensor";
import * as F from "./functional";
import { Module } from "./module";

export type Reduction = "none" | "mean" | "sum";

abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(options: { reduction?: Reduction } = {}) {
    super();
    const r = options.reduction ?? "mean";
    if (r !== "none" && r !== "mean" && r !== "sum") {
      throw new Error(`${this.constructor.name}: reduction must be "none", "mean" or "sum", got ${JSON.stringify(r)}`);
    }
    this.reduction = r;
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** torch.nn.CrossEntropyLoss: log-softmax of the logits then negative log-likelihood of the int32 class targets. */
export class CrossEntropyLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.MSELoss: (input - target)², reduced. */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.BCELoss: binary cross-entropy of probabilities in [0, 1]. */
export class BCELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.BCEWithLogitsLoss: sigmoid and binary cross-entropy in one numerically stable step. */
export class BCEWithLogitsLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction });
  }
}
