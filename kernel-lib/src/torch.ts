export { Tensor } from "./tensor/tensor";
export type { DType } from "./tensor/dtype";
export * as datasets from "./datasets/index";
