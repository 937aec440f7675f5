import { DataLoader } from "../data/dataloader";
import { TensorDataset } from "../data/tensor-dataset";
import { syntheticData as generateSynthetic } from "../datasets/synthetic";
import { noGrad } from "../tensor/autograd";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/**
 * d2l.sgd: minibatch stochastic gradient descent on tensors that hold summed gradients:
 * param -= lr * param.grad / batchSize, then the gradient is zeroed. Nothing is recorded in a graph.
 */
export function sgd(params: Iterable<Tensor>, lr: number, batchSize: number): void {
  if (typeof lr !== "number" || !Number.isFinite(lr)) throw new Error(`sgd: lr must be a finite number, got ${lr}`);
  if (typeof batchSize !== "number" || !(batchSize > 0)) throw new Error(`sgd: batchSize must be a positive number, got ${batchSize}`);
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`sgd: parameter ${i} is not a Tensor`);
    if (p.grad === null) {
      throw new Error(`sgd: parameter ${i} (shape ${formatShape(p.shape)}) has no gradient; create it with requiresGrad: true and call backward() on the loss first`);
    }
  });
  noGrad(() => {
    for (const p of list) {
      const grad = p.grad as Tensor;
      // same rounding as PyTorch's `param -= lr * param.grad / batch_size`
      p.sub_(grad.mul(lr).div(batchSize));
      grad.zero_();
    }
  });
}

/** d2l.linreg: the linear regression model X w + b. */
export function linreg(X: Tensor, w: Tensor, b: Tensor | number): Tensor {
  return X.matmul(w).add(b);
}

/** d2l.squared_loss: (yHat - y.reshape(yHat.shape))^2 / 2, one value per example. */
export function squaredLoss(yHat: Tensor, y: Tensor): Tensor {
  if (yHat.numel() !== y.numel()) {
    throw new Error(`squaredLoss: yHat of shape ${formatShape(yHat.shape)} and y of shape ${formatShape(y.shape)} hold different numbers of values`);
  }
  return yHat.sub(y.reshape(yHat.shape)).pow(2).div(2);
}

/**
 * d2l.synthetic_data: X ~ N(0, 1) of shape [numExamples, len(w)] and y = X w + b + N(0, 0.01^2) of shape
 * [numExamples, 1], drawn from torch's seeded generator (torch.manualSeed).
 */
export function syntheticData(w: Tensor | ArrayLike<number>, b: Tensor | number, numExamples: number): [Tensor, Tensor] {
  return generateSynthetic(w, b, numExamples);
}

/** d2l.load_array: a DataLoader over tensors sharing their first dimension, shuffled when isTrain. */
export function loadArray(dataArrays: readonly Tensor[], batchSize: number, isTrain = true): DataLoader<Tensor[]> {
  if (!Array.isArray(dataArrays) || dataArrays.length === 0) {
    throw new Error("loadArray: dataArrays must be a non-empty array of tensors, e.g. [features, labels]");
  }
  return new DataLoader(new TensorDataset(...dataArrays), { batchSize, shuffle: isTrain });
}
