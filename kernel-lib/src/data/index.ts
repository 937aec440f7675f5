export { Dataset } from "./dataset";
export { TensorDataset } from "./tensor-dataset";
export { Subset, randomSplit } from "./subset";
export { DataLoader } from "./dataloader";
export type { DataLoaderOptions } from "./dataloader";
export { collate } from "./collate";
export type { Collated } from "./collate";
