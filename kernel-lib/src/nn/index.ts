export { Module } from "./module";
export type { StateDict, IncompatibleKeys } from "./module";
export { Parameter } from "./parameter";
export { Linear } from "./linear";
export { Sequential, ModuleList } from "./container";
export { Identity, Flatten, Dropout } from "./simple";
export {
  ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, SiLU, Mish, Softplus, Softsign, Hardtanh, PReLU, LogSigmoid, Softmax, LogSoftmax,
} from "./activation";
export { CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss } from "./loss";
export type { Reduction } from "./loss";
export * as init from "./init";
export * as functional from "./functional";
