export { Optimizer } from "./optimizer";
export type { ParamGroup, ParamsArg, ParamState, OptimizerStateDict, HyperValue } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam, AdamW } from "./adam";
export type { AdamOptions } from "./adam";
