import { noGrad } from "../tensor/autograd";
import { Tensor } from "../tensor/tensor";
import { Accumulator } from "./accumulator";
import { Animator } from "./animator";
import { getFashionMnistLabels } from "./fashion-mnist";
import { showImages } from "./images";
import { accuracy, checkPerExample, evaluateAccuracy } from "./metrics";
import { DataIter, LossFn, Net, batchOn, batchXY, callLoss, callNet, describe, netDevice, withMode } from "./net";

/** A built-in optimizer (torch.optim.SGD, Adam, ...) or anything else with zeroGrad() and step(). */
export interface OptimizerLike {
  zeroGrad(): void;
  step(): unknown;
}

/** trainEpochCh3's updater: an optimizer, or a function given the batch size, e.g. (n) => d2l.sgd(params, lr, n). */
export type Updater = OptimizerLike | ((batchSize: number) => void);

/** What trainCh3 reports after its last epoch. */
export interface TrainCh3Result {
  trainLoss: number;
  trainAcc: number;
  testAcc: number;
}

/** Python's AssertionError, thrown by the book's final checks in trainCh3. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function isOptimizer(u: unknown): u is OptimizerLike {
  const o = u as Partial<OptimizerLike> | null;
  return typeof u === "object" && o !== null && typeof o.zeroGrad === "function" && typeof o.step === "function";
}

/**
 * d2l.train_epoch_ch3: one pass over `trainIter`; returns [average loss, accuracy] over the examples seen.
 * With an optimizer: zeroGrad, loss.mean().backward(), step. With a function: loss.sum().backward(), then
 * updater(batchSize). `loss` must give one value per example (reduction "none"). Each batch goes to `device`, by
 * default the device of the net's first parameter (as d2l's train_ch6 does `X.to(device)`).
 */
export function trainEpochCh3(net: Net, trainIter: DataIter, loss: LossFn, updater: Updater, device?: string): [number, number] {
  const update = updateStep(updater);
  const metric = new Accumulator(3); // sum of losses, correct predictions, examples
  const on = netDevice("trainEpochCh3", net, device);
  withMode(net, true, () => {
    for (const batch of trainIter) {
      const [X, y] = batchOn(on, ...batchXY("trainEpochCh3", batch));
      const yHat = callNet("trainEpochCh3", net, X);
      const l = callLoss("trainEpochCh3", loss, yHat, y);
      checkPerExample("trainEpochCh3", l, X.shape[0]);
      update(l, X.shape[0]);
      noGrad(() => metric.add(l.sum().item(), accuracy(yHat, y), y.numel()));
    }
  });
  if (metric.get(2) === 0) throw new Error("trainEpochCh3: the training iterator gave no samples");
  return [metric.get(0) / metric.get(2), metric.get(1) / metric.get(2)];
}

/** The book's two ways to update: an optimizer steps on the mean loss, a custom updater gets the summed gradient. */
function updateStep(updater: Updater): (l: Tensor, batchSize: number) => void {
  if (isOptimizer(updater)) {
    const optimizer = updater;
    return (l) => {
      optimizer.zeroGrad();
      l.mean().backward();
      optimizer.step();
    };
  }
  if (typeof updater === "function") {
    const custom = updater;
    return (l, batchSize) => {
      l.sum().backward();
      custom(batchSize);
    };
  }
  throw new Error(`trainEpochCh3: updater must be an optimizer (torch.optim.SGD(...)) or a function (batchSize) => void, got ${describe(updater)}`);
}

/**
 * d2l.train_ch3: trains for numEpochs, drawing train loss, train accuracy and test accuracy per epoch in one
 * live Animator (a progress line on stderr outside Jupyter), then makes the book's checks:
 * train loss < 0.5, 0.7 < train accuracy <= 1, 0.7 < test accuracy <= 1 (an AssertionError otherwise).
 * Batches go to `device`, by default the device of the net's first parameter (pass it for a function net).
 */
export function trainCh3(
  net: Net, trainIter: DataIter, testIter: DataIter, loss: LossFn, numEpochs: number, updater: Updater, device?: string,
): TrainCh3Result {
  if (!Number.isInteger(numEpochs) || numEpochs < 1) throw new Error(`trainCh3: numEpochs must be a positive integer, got ${numEpochs}`);
  const on = netDevice("trainCh3", net, device);
  // matplotlib widens identical limits by itself; the Animator wants two different ones
  const xlim: [number, number] = numEpochs > 1 ? [1, numEpochs] : [0.5, 1.5];
  const animator = new Animator({ xlabel: "epoch", xlim, ylim: [0.3, 0.9], legend: ["train loss", "train acc", "test acc"] });
  let trainMetrics: [number, number] = [NaN, NaN];
  let testAcc = NaN;
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    trainMetrics = trainEpochCh3(net, trainIter, loss, updater, on);
    testAcc = evaluateAccuracy(net, testIter, on);
    animator.add(epoch + 1, [...trainMetrics, testAcc]);
  }
  const [trainLoss, trainAcc] = trainMetrics;
  check(trainLoss < 0.5, `train loss ${trainLoss} is not < 0.5`);
  check(trainAcc <= 1 && trainAcc > 0.7, `train accuracy ${trainAcc} is not in (0.7, 1]`);
  check(testAcc <= 1 && testAcc > 0.7, `test accuracy ${testAcc} is not in (0.7, 1]`);
  return { trainLoss, trainAcc, testAcc };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new AssertionError(`trainCh3: ${message}`);
}

/**
 * d2l.predict_ch3: shows the first n images of the first test batch in one row, titled "true\npred" with the
 * Fashion-MNIST text labels; the predictions are made in evaluation mode without a graph, on `device` (default: the
 * device of the net's first parameter). Returns both lists.
 */
export function predictCh3(net: Net, testIter: DataIter, n = 6, device?: string): { trues: string[]; preds: string[] } {
  if (!Number.isInteger(n) || n < 1) throw new Error(`predictCh3: n must be a positive integer, got ${n}`);
  let first: readonly Tensor[] | undefined;
  for (const batch of testIter) {
    first = batch;
    break;
  }
  if (first === undefined) throw new Error("predictCh3: the test iterator gave no batches");
  const [X, y] = batchXY("predictCh3", first);
  if (X.shape[0] < n) throw new Error(`predictCh3: n = ${n} but the first test batch has only ${X.shape[0]} images`);
  const on = netDevice("predictCh3", net, device);
  const yHat = withMode(net, false, () => noGrad(() => callNet("predictCh3", net, batchOn(on, X, y)[0])));
  const trues = getFashionMnistLabels(y.narrow(0, 0, n));
  const preds = getFashionMnistLabels(yHat.argmax(1).narrow(0, 0, n));
  const [h, w] = X.shape.slice(-2);
  const titles = trues.map((t, i) => `${t}\n${preds[i]}`);
  showImages(X.narrow(0, 0, n).reshape([n, h, w]), 1, n, { titles });
  return { trues, preds };
}
