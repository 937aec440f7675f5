import { noGrad } from "../tensor/autograd";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Accumulator } from "./accumulator";
import { DataIter, LossFn, Net, batchOn, batchXY, callLoss, callNet, netDevice, withMode } from "./net";

/**
 * d2l.accuracy: the NUMBER of correct predictions (not a fraction). Scores [n, classes] are turned into
 * class indices with argmax(1) first; predictions are compared after casting to y's dtype, as the book does.
 */
export function accuracy(yHat: Tensor, y: Tensor): number {
  if (!(yHat instanceof Tensor) || !(y instanceof Tensor)) throw new Error("accuracy: yHat and y must be tensors");
  let pred = yHat;
  if (pred.dim() > 1 && pred.shape[1] > 1) pred = pred.argmax(1);
  if (pred.numel() !== y.numel()) {
    throw new Error(
      `accuracy: ${pred.numel()} predictions (from yHat of shape ${formatShape(yHat.shape)}) but ${y.numel()} labels ` +
        `(y of shape ${formatShape(y.shape)})`,
    );
  }
  return noGrad(() => {
    const cmp = pred.reshape(y.shape).to(y.dtype).eq(y);
    return cmp.to(y.dtype).sum().item();
  });
}

/**
 * d2l.evaluate_accuracy: the fraction of correct predictions of `net` over `dataIter`, computed in evaluation
 * mode without recording a graph. A Module is put back into the mode(s) it was in before. Each batch goes to
 * `device`, by default the device of the net's first parameter (d2l's evaluate_accuracy_gpu); pass it for a
 * function net whose parameters live on the GPU.
 */
export function evaluateAccuracy(net: Net, dataIter: DataIter, device?: string): number {
  const metric = new Accumulator(2); // correct predictions, predictions
  const on = netDevice("evaluateAccuracy", net, device);
  withMode(net, false, () =>
    noGrad(() => {
      for (const batch of dataIter) {
        const [X, y] = batchOn(on, ...batchXY("evaluateAccuracy", batch));
        metric.add(accuracy(callNet("evaluateAccuracy", net, X), y), y.numel());
      }
    }),
  );
  if (metric.get(1) === 0) throw new Error("evaluateAccuracy: the data iterator gave no samples");
  return metric.get(0) / metric.get(1);
}

/**
 * d2l.evaluate_loss: the average per-example loss of `net` over `dataIter`. `loss` must give one value per
 * example (reduction "none"); y is reshaped to the output's shape first, as in the book. Like the book, the
 * net's train/eval mode is left as it is; no graph is recorded. Batches go to `device` (default: the device of
 * the net's first parameter).
 */
export function evaluateLoss(net: Net, dataIter: DataIter, loss: LossFn, device?: string): number {
  const metric = new Accumulator(2); // sum of losses, number of losses
  const on = netDevice("evaluateLoss", net, device);
  noGrad(() => {
    for (const batch of dataIter) {
      const [X, y] = batchOn(on, ...batchXY("evaluateLoss", batch));
      const out = callNet("evaluateLoss", net, X);
      if (out.numel() !== y.numel()) {
        throw new Error(`evaluateLoss: net output of shape ${formatShape(out.shape)} cannot be compared with y of shape ${formatShape(y.shape)}`);
      }
      const l = callLoss("evaluateLoss", loss, out, y.reshape(out.shape));
      checkPerExample("evaluateLoss", l, out.shape[0] ?? 1);
      metric.add(l.sum().item(), l.numel());
    }
  });
  if (metric.get(1) === 0) throw new Error("evaluateLoss: the data iterator gave no samples");
  return metric.get(0) / metric.get(1);
}

/** A loss reduced to one number would make the per-example averages wrong: ask for reduction "none". */
export function checkPerExample(op: string, l: Tensor, batchSize: number): void {
  if (l.numel() === 1 && batchSize > 1) {
    throw new Error(
      `${op}: the loss gave one number for a batch of ${batchSize} examples; it must give one loss per example ` +
        `(use reduction "none", e.g. new nn.CrossEntropyLoss({ reduction: "none" }))`,
    );
  }
}
