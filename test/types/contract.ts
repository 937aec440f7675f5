// The type-level contract of docs/API.md, written as a notebook cell would be. Checked three ways:
// by the repo's tsc (tsconfig.json includes test/**), and by test/api-types.test.ts, which compiles this same text
// against the built declarations (import from "kernel-lib") with tslab's bundled TypeScript 5.0, and runs it.
import { torch, d2l } from "../../kernel-lib/src/index";

const F = torch.nn.functional;

// torch.Tensor as a type in signatures: a from-scratch net
const W = torch.normal(0, 0.01, [784, 10], { requiresGrad: true });
const b = torch.zeros(10, { requiresGrad: true });
function net(X: torch.Tensor): torch.Tensor {
  return torch.matmul(X.reshape(-1, W.shape[0]), W).add(b);
}

// a Module subclass: fields are found as parameters / sub-modules
class MLP extends torch.nn.Module {
  hidden = new torch.nn.Linear(784, 256);
  out: torch.nn.Linear;
  dropout: torch.nn.Dropout;
  constructor(p = 0.5) {
    super();
    this.out = new torch.nn.Linear(256, 10);
    this.dropout = new torch.nn.Dropout(p);
  }
  override forward(X: torch.Tensor): torch.Tensor {
    const H = F.relu(this.hidden.forward(X.reshape(-1, 784)));
    return this.out.forward(this.dropout.forward(H));
  }
}

// the d2l training helpers accept a Module or a plain function
type Net = torch.nn.Module | ((X: torch.Tensor) => torch.Tensor);
function callNet(model: Net, X: torch.Tensor): torch.Tensor {
  return model instanceof torch.nn.Module ? model.forward(X) : model(X);
}

export interface ContractResult {
  names: string[];
  outShape: number[];
  scratchShape: number[];
  seqWeight: number[];
  predicted: torch.Tensor;
  animator: d2l.Animator;
  batches: number;
}

export function runContract(): ContractResult {
  const model: torch.nn.Module = new MLP();
  const layer: torch.nn.Linear = (model as MLP).hidden;
  const X: torch.Tensor = torch.rand([2, 1, 28, 28]);
  const out = callNet(model, X);
  const seq = new torch.nn.Sequential(new torch.nn.Flatten(), new torch.nn.Linear(784, 10));
  const w: torch.Tensor = seq[1].weight; // typed per position
  const params: torch.nn.Parameter[] = model.parameters();
  const optimizer: torch.optim.Optimizer<object> = new torch.optim.SGD(params, { lr: 0.1, momentum: 0.9 });
  optimizer.zeroGrad();
  const [, predicted] = torch.max(out.data, 1);
  const { values } = out.max(1);
  const device = torch.device("cpu");
  model.to(device);
  const z: torch.Tensor = torch.zeros(2, 3).add(torch.zeros([2, 3], { dtype: torch.float32 })).to(device);
  const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(z, torch.tensor([0, 1], { dtype: "int32" })), {
    batchSize: 1,
    shuffle: true,
  });
  let batches = 0;
  for (const [Xb, yb] of loader) {
    const l: torch.Tensor = F.crossEntropy(Xb, yb, { reduction: "none" });
    batches += l.numel();
  }
  const animator: d2l.Animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 10], legend: ["train loss"] });
  const metric = new d2l.Accumulator(2);
  metric.add(values.sum(), 2);
  const dtype: torch.DType = layer.weight.dtype;
  void dtype;
  return {
    names: model.namedParameters().map(([n]) => n),
    outShape: out.shape,
    scratchShape: net(X).shape,
    seqWeight: w.shape,
    predicted,
    animator,
    batches,
  };
}
