/** torch.utils: `torch.utils.data.DataLoader`, `TensorDataset`, ...; torchvision.utils.make_grid as makeGrid. */
export * as data from "./data/index";
export { makeGrid } from "./make-grid";
export type { MakeGridOptions } from "./make-grid";
