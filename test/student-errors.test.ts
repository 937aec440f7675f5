// The mistakes a student makes while typing the PyTorch lecture code line by line: each error names the
// operation, the offending shapes / dtypes / values, and says what to do.
import { beforeEach, describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

const nn = torch.nn;
const F = torch.nn.functional;
const labels = (xs: number[]) => torch.tensor(xs, { dtype: "int32" });

/** The thrown message, so several parts of it can be checked. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error("expected the call to throw, it returned normally");
}

function expectMessage(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  const msg = messageOf(fn);
  for (const p of parts) {
    if (typeof p === "string") expect(msg).toContain(p);
    else expect(msg).toMatch(p);
  }
}

beforeEach(() => torch.manualSeed(0));

describe("shapes through layers", () => {
  it("nn.Linear fed images without Flatten names the input shape, inFeatures and the fix", () => {
    const net = new nn.Sequential(new nn.Linear(784, 10));
    expectMessage(() => net.forward(torch.randn(4, 1, 28, 28)), "Linear", "[4,1,28,28]", "784", "Flatten");
  });
  it("nn.Linear with the wrong number of input features names both sizes", () => {
    expectMessage(() => new nn.Linear(3, 2).forward(torch.randn(4, 5)), "Linear", "[4,5]", "inFeatures=3", "last dim has 5 features");
  });
  it("matmul of mismatched inner sizes names both shapes and the inner sizes", () => {
    expectMessage(() => torch.matmul(torch.randn(4, 28), torch.randn(784, 10)), "matmul", "[4,28]", "[784,10]", "28", "784");
  });
  it("F.linear with a mismatched weight names the input and the weight", () => {
    expectMessage(() => F.linear(torch.randn(4, 5), torch.randn(2, 3)), "linear", "[4,5]", "[2,3]");
  });
});

describe("losses", () => {
  const logits = () => torch.randn(4, 10);
  it("crossEntropy with float labels says to convert them to class indices", () => {
    expectMessage(() => F.crossEntropy(logits(), torch.tensor([1, 2, 3, 4])), "crossEntropy", "float32", "int32", ".long()");
    expectMessage(() => new nn.CrossEntropyLoss().forward(logits(), torch.tensor([1, 2, 3, 4])), "crossEntropy", "float32");
  });
  it("crossEntropy with labels of the wrong shape names both shapes and the expected one", () => {
    expectMessage(() => F.crossEntropy(logits(), labels([1, 2, 3, 4]).reshape(4, 1)), "crossEntropy", "[4,1]", "[4,10]", "[4]");
    expectMessage(() => F.crossEntropy(logits(), labels([1, 2, 3])), "crossEntropy", "[3]", "[4,10]");
  });
  it("crossEntropy with a label >= the number of classes names the label and the class count", () => {
    expectMessage(() => F.crossEntropy(logits(), labels([1, 2, 3, 10])), "crossEntropy", "label 10", "10 classes", "0..9");
    expectMessage(() => F.crossEntropy(logits(), labels([-1, 2, 3, 4])), "crossEntropy", "label -1");
    expectMessage(() => F.nllLoss(logits().logSoftmax(1), labels([0, 0, 0, 12])), "nllLoss", "12", "10 classes");
  });
  it("mseLoss of [N] against [N,1] refuses to broadcast silently and says how to fix it", () => {
    expectMessage(() => F.mseLoss(torch.randn(4), torch.randn(4, 1)), "mseLoss", "[4]", "[4,1]", "reshape");
    expectMessage(() => new nn.MSELoss().forward(torch.randn(4, 1), torch.randn(4)), "mseLoss", "[4,1]", "[4]");
  });
  it("binaryCrossEntropy on raw scores says to apply sigmoid or use the logits version", () => {
    expectMessage(() => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1])), "binaryCrossEntropy", "1.5", "sigmoid", "WithLogits");
  });
});

describe("autograd", () => {
  it("backward twice without retainGraph says to pass retainGraph", () => {
    const x = torch.randn(3, { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expectMessage(() => y.backward(), "backward", "second time", "retainGraph");
  });
  it("backward on a non-scalar names the shape and both fixes", () => {
    const x = torch.randn(3, { requiresGrad: true });
    expectMessage(() => x.mul(2).backward(), "backward", "[3]", "sum()", "onesLike");
  });
  it("backward of something that does not require grad says to set requiresGrad", () => {
    expectMessage(() => torch.randn(3).mul(2).sum().backward(), "backward", "requiresGrad");
  });
  it("requiresGrad on an int tensor names the dtype", () => {
    expectMessage(() => torch.tensor([1, 2], { dtype: "int32", requiresGrad: true }), "int32", "float32");
  });
  it("item() on a non-scalar names the shape and says what to use instead", () => {
    expectMessage(() => torch.randn(3).item(), "item", "[3]", "3 elements", "tolist()");
  });
  it("in-place change of a leaf that requires grad says to use noGrad", () => {
    const w = torch.randn(3, { requiresGrad: true });
    expectMessage(() => w.sub_(1), "sub_", "leaf", "[3]", "noGrad");
    expectMessage(() => w.zero_(), "zero_", "leaf", "noGrad");
  });
  it("the same update inside noGrad is allowed (what optimizers do)", () => {
    const w = torch.ones(3, { requiresGrad: true });
    torch.noGrad(() => w.sub_(1));
    expect(w.tolist()).toEqual([0, 0, 0]);
    expect(w.requiresGrad).toBe(true);
  });
});

describe("optimizers", () => {
  it("no parameters", () => {
    expectMessage(() => new torch.optim.SGD([], { lr: 0.1 }), "SGD", "empty parameter list", "parameters()");
    expectMessage(() => new torch.optim.Adam(new nn.Sequential().parameters()), "Adam", "empty parameter list");
  });
  it("a model instead of model.parameters()", () => {
    const net = new nn.Linear(2, 3);
    expectMessage(() => new torch.optim.SGD(net as never, { lr: 0.1 }), "SGD", "Linear", ".parameters()");
  });
  it("a single tensor instead of an array of tensors", () => {
    const w = torch.zeros(2, { requiresGrad: true });
    expectMessage(() => new torch.optim.SGD(w as never, { lr: 0.1 }), "SGD", "Tensor", "[w, b]");
  });
  it("non-tensors in the parameter list", () => {
    expectMessage(() => new torch.optim.SGD([1, 2] as never, { lr: 0.1 }), "SGD", "parameter 0", "number", "parameters()");
  });
  it("a negative learning rate", () => {
    expectMessage(() => new torch.optim.SGD(new nn.Linear(2, 3).parameters(), { lr: -1 }), "SGD", "lr", "-1");
  });
});

describe("data", () => {
  const ds = () => new torch.utils.data.TensorDataset(torch.randn(4, 2), labels([0, 1, 0, 1]));
  it("DataLoader with batchSize 0", () => {
    expectMessage(() => new torch.utils.data.DataLoader(ds(), { batchSize: 0 }), "DataLoader", "batchSize", "positive integer", "0");
  });
  it("TensorDataset of tensors with different first sizes", () => {
    expectMessage(() => new torch.utils.data.TensorDataset(torch.randn(4, 2), torch.randn(3)), "TensorDataset", "[4,2]", "[3]");
  });
  it("DataLoader of something that is not a Dataset", () => {
    expectMessage(() => new torch.utils.data.DataLoader([torch.randn(2)] as never), "DataLoader", "Dataset", "TensorDataset");
  });
});

describe("shape ops", () => {
  it("view with an incompatible size names both shapes and the element count", () => {
    expectMessage(() => torch.randn(4, 6).view(5, -1), "view", "[5,-1]", "[4,6]", "24");
    expectMessage(() => torch.arange(12).reshape(5, 3), "reshape", "[5,3]", "[12]", "12");
  });
  it("view with two -1", () => {
    expectMessage(() => torch.randn(4, 6).view(-1, -1), "view", "-1");
  });
  it("cat of mismatched shapes names the shapes, the dim and the sizes that differ", () => {
    expectMessage(() => torch.cat([torch.randn(2, 3), torch.randn(2, 4)], 0), "cat", "[2,3]", "[2,4]", "dim 1", "3", "4");
  });
  it("stack of mismatched shapes", () => {
    expectMessage(() => torch.stack([torch.randn(2, 3), torch.randn(2, 4)]), "stack", "[2,3]", "[2,4]");
  });
  it("a dim out of range names the dim and the valid range", () => {
    expectMessage(() => torch.randn(3, 4).sum(2), "sum", "dim 2", "-2..1");
    expectMessage(() => torch.randn(3, 4).softmax(2), "softmax", "dim 2");
  });
  it("binary ops that do not broadcast name both shapes", () => {
    expectMessage(() => torch.randn(3, 4).add(torch.randn(3)), "add", "[3,4]", "[3]");
  });
  it("copy_ from a tensor of another shape names copy_ and both shapes", () => {
    expectMessage(() => torch.zeros(3).copy_(torch.ones(4)), "copy_", "[4]", "[3]");
  });
});

describe("indexing", () => {
  it("indexSelect out of range names the index, the dim and the shape", () => {
    expectMessage(() => torch.randn(3, 4).indexSelect(0, labels([0, 3])), "indexSelect", "index 3", "dim 0", "[3,4]");
  });
  it("indexSelect with a float index says to convert it", () => {
    expectMessage(() => torch.randn(3, 4).indexSelect(0, torch.tensor([0, 1])), "indexSelect", "float32", "int32");
  });
  it("select and narrow out of range", () => {
    expectMessage(() => torch.randn(3, 4).select(0, 3), "select", "index 3", "size 3", "[3,4]");
    expectMessage(() => torch.randn(3, 4).narrow(1, 2, 3), "narrow", "start 2", "length 3", "size 4");
  });
  it("a dataset index out of range", () => {
    const ds = new torch.utils.data.TensorDataset(torch.randn(4, 2));
    expectMessage(() => ds.getItem(4), "4", "out of range", "4 samples");
  });
});

describe("creation", () => {
  it("torch.tensor of ragged nested arrays says where and that rows must be equally long", () => {
    expectMessage(() => torch.tensor([[1, 2], [3]]), "tensor", "ragged", "[1]", "same length");
  });
  it("a negative or fractional size", () => {
    expectMessage(() => torch.zeros(-1, 2), "zeros", "[-1,2]", "non-negative integers");
    expectMessage(() => torch.ones(2.5), "ones", "[2.5]");
  });
  it("torch.device accepts cpu and names the devices it knows otherwise", () => {
    expect(torch.device("cpu")).toBe("cpu");
    expectMessage(() => torch.device("cuda"), "device", "cuda", "cpu");
    expectMessage(() => torch.randn(3).to("cuda" as never), "to", "cuda", "cpu");
  });
});

describe("PyTorch gives NaN, not an error", () => {
  it("log of a negative number is NaN and log(0) is -Infinity, as in PyTorch", () => {
    const y = torch.log(torch.tensor([-1, 0, 1])).tolist() as number[];
    expect(Number.isNaN(y[0])).toBe(true);
    expect(y[1]).toBe(-Infinity);
    expect(y[2]).toBe(0);
    expect(Number.isNaN(torch.sqrt(torch.tensor([-4])).item())).toBe(true);
  });
});

describe("modules", () => {
  it("a Module subclass without forward says to define it", () => {
    class NoForward extends nn.Module {
      fc = new nn.Linear(2, 2);
    }
    expectMessage(() => new NoForward().forward(torch.randn(1, 2)), "NoForward.forward", "not implemented", "forward(x: torch.Tensor)");
  });
  it("Sequential of a function instead of a module", () => {
    expectMessage(() => new nn.Sequential(torch.relu as never), "Sequential", "argument 0", "function", "nn.");
  });
  it("loadStateDict with a missing key names the key and the module and says how to fix it", () => {
    const m = new nn.Linear(2, 3);
    const sd = m.stateDict();
    delete sd.bias;
    expectMessage(() => m.loadStateDict(sd), "loadStateDict", "Linear", 'missing key(s) in state dict: "bias"', "strict");
  });
  it("loadStateDict with an unexpected key or a wrong shape", () => {
    const m = new nn.Linear(2, 3);
    expectMessage(() => m.loadStateDict({ ...m.stateDict(), extra: torch.zeros(1) }), 'unexpected key(s) in state dict: "extra"');
    expectMessage(() => m.loadStateDict(new nn.Linear(3, 3).stateDict()), "size mismatch for weight", "[3,3]", "[3,2]");
  });
  it("Dropout with p outside [0, 1]", () => {
    expectMessage(() => new nn.Dropout(1.5), "Dropout", "1.5");
  });
});

describe("plain values where a tensor is expected", () => {
  it("a layer fed a plain array says to make a tensor", () => {
    expectMessage(() => new nn.Linear(2, 2).forward([[1, 2]] as never), "Linear.forward", "expected a Tensor", "an array", "torch.tensor");
  });
  it("indexing with torch.arange (float32 here) says to ask for int32", () => {
    const yHat = torch.rand(3, 4);
    expectMessage(() => yHat.index([torch.arange(3), labels([0, 1, 2])]), "index", "float32", "int32", "arange");
    expect(yHat.index([torch.arange(3, { dtype: "int32" }), labels([0, 1, 2])]).shape).toEqual([3]);
  });
});
