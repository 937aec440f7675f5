/** torch.utils: `torch.utils.data.DataLoader`, `TensorDataset`, ... */
export * as data from "./data/index";
