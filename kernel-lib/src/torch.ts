export { Tensor } from "./tensor/tensor";
export type { DType } from "./tensor/dtype";
export * as nn from "./nn/index";
export * as optim from "./optim/index";
export * as utils from "./utils";
export { save, load } from "./io/index";
