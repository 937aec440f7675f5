export { Tensor } from "./tensor/tensor";
export type { DType } from "./tensor/dtype";
