// d2l helpers. Display and plotting (this block); training helpers are added by their own module.
export { plot, plotFigure, setAxes, setFigsize, useSvgDisplay, PIXELS_PER_INCH } from "./plot";
export type { PlotOptions, AxesOptions, Axes } from "./plot";
export type { PlotData, SeriesLike } from "./figure/series";
export type { FigureSpec, Series, LineStyle, Scale } from "./figure/model";
export { figureBundle } from "./figure/bundle";
export { Animator } from "./animator";
export type { AnimatorOptions, AnimatorValue } from "./animator";
export { showImages, imageGrid } from "./images";
export type { ShowImagesOptions, ImagesLike, ImageLike } from "./images";
export { showTable, tableText, tableHtml } from "./table";
export type { TableOptions, Cell } from "./table";
export { Timer } from "./timer";
export { Accumulator } from "./accumulator";
export type { Scalar } from "./accumulator";
export { setDisplayBackend, getDisplayBackend, captureDisplays, showBundle, MemoryBackend, FileBackend, TextBackend } from "../display/index";
export type { BackendKind, DisplayBackend, DisplayHandle, MimeBundle, CapturedDisplay, CaptureEvent } from "../display/index";
// d2l training helpers (chapter 3 loops, metrics, linear regression, Fashion-MNIST)
export { accuracy, evaluateAccuracy, evaluateLoss } from "./metrics";
export { trainEpochCh3, trainCh3, predictCh3, AssertionError } from "./train-ch3";
export type { Updater, OptimizerLike, TrainCh3Result } from "./train-ch3";
export { sgd, linreg, squaredLoss, syntheticData, loadArray } from "./linreg";
export { loadDataFashionMnist, getFashionMnistLabels } from "./fashion-mnist";
export type { LoadFashionMnistOptions } from "./fashion-mnist";
export { resizeImage } from "./resize";
export type { Net, LossFn, DataIter } from "./net";
