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
  readonly labelSmoothing: number;
  constructor(options: { reduction?: Reduction; labelSmoothing?: number } = {}) {
    super(options);
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/** torch.nn.NLLLoss: negative log-likelihood of int32 class targets given log-probabilities. */
export class NLLLoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.MSELoss: (input - target)², reduced. */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.L1Loss: |input - target|, reduced. */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/** torch.nn.BCELoss: binary cross-entropy of probabilities in [0, 1], optionally weighted per element. */
export class BCELoss extends Loss {
  readonly weight: Tensor | undefined;
  constructor(options: { reduction?: Reduction; weight?: Tensor } = {}) {
    super(options);
    this.weight = options.weight;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/** torch.nn.BCEWithLogitsLoss: sigmoid and binary cross-entropy in one numerically stable step. */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | undefined;
  readonly posWeight: Tensor | undefined;
  constructor(options: { reduction?: Reduction; weight?: Tensor; posWeight?: Tensor } = {}) {
    super(options);
    this.weight = options.weight;
    this.posWeight = options.posWeight;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}
