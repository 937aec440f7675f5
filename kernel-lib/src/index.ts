import { installNotebookProgress } from "./display/progress";

export * as torch from "./torch";
export * as d2l from "./d2l/index";
// the PyTorch imports, `import torch.nn as nn`, `import torch.nn.functional as F`, `from torchvision import
// datasets, transforms`: namespaces, so they work as types in later cells (`fc1: nn.Linear`)
export * as nn from "./nn/index";
export * as F from "./nn/functional";
export * as optim from "./optim/index";
export * as utils from "./utils";
export * as datasets from "./datasets/index";
export * as transforms from "./transforms/index";
export { len, iter, next } from "./builtins";

// Inside a tslab kernel, dataset downloads show a live progress display instead of stderr lines; in plain
// Node and tests this does nothing.
installNotebookProgress();
