export {};
// d2l training helpers (chapter 3 loops, metrics, linear regression, Fashion-MNIST)
export { accuracy, evaluateAccuracy, evaluateLoss } from "./metrics";
export { trainEpochCh3, trainCh3, predictCh3, AssertionError } from "./train-ch3";
export type { Updater, OptimizerLike, TrainCh3Result } from "./train-ch3";
export { sgd, linreg, squaredLoss, syntheticData, loadArray } from "./linreg";
export { loadDataFashionMnist, getFashionMnistLabels } from "./fashion-mnist";
export type { LoadFashionMnistOptions } from "./fashion-mnist";
export { resizeImage } from "./resize";
export type { Net, LossFn, DataIter } from "./net";
