import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { d2l, torch } from "../kernel-lib/src/index";
import { testWebgpuBackend, webgpuRequired } from "./helpers/webgpu";

type Tensor = torch.Tensor;
const nn = torch.nn;

/** Three well separated Gaussian blobs in 2-D, labels 0..2 (int32). */
function blobs(n: number): [Tensor, Tensor] {
  const centers = [[4, 0], [-4, 0], [0, 4]];
  const X = torch.randn(n, 2).mul(0.5);
  const labels = new Int32Array(n);
  const xs = X.dataSync();
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    xs[2 * i] += centers[i % 3][0];
    xs[2 * i + 1] += centers[i % 3][1];
  }
  return [X, torch.tensor(labels, { dtype: "int32" })];
}

let memory: ReturnType<typeof d2l.captureDisplays>;
beforeEach(() => {
  torch.manualSeed(0);
  memory = d2l.captureDisplays();
});
afterEach(() => {
  d2l.setDisplayBackend("auto");
});

describe("accuracy", () => {
  it("counts correct argmax predictions", () => {
    const yHat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
    expect(d2l.accuracy(yHat, torch.tensor([1, 0, 0], { dtype: "int32" }))).toBe(2);
  });
  it("compares 1-D predictions directly, also with labels shaped [n,1]", () => {
    const pred = torch.tensor([2, 1, 0, 2], { dtype: "int32" });
    expect(d2l.accuracy(pred, torch.tensor([2, 0, 0, 1], { dtype: "int32" }))).toBe(2);
    expect(d2l.accuracy(pred, torch.tensor([[2], [1], [0], [2]], { dtype: "int32" }))).toBe(4);
  });
  it("refuses predictions and labels of different counts", () => {
    expect(() => d2l.accuracy(torch.zeros(4, 3), torch.zeros([3], { dtype: "int32" }))).toThrow(/accuracy: 4 predictions .* but 3 labels/);
  });
});

describe("evaluateAccuracy", () => {
  it("is the fraction of correct predictions over all batches", () => {
    const X = torch.tensor([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]);
    const y = torch.tensor([0, 1, 1, 1, 0], { dtype: "int32" });
    const net = (x: Tensor): Tensor => x; // predicts argmax of the one-hot row
    expect(d2l.evaluateAccuracy(net, d2l.loadArray([X, y], 2, false))).toBeCloseTo(4 / 5, 12);
  });

  it("runs in eval mode without a graph and restores every module's previous mode", () => {
    class Probe extends nn.Module {
      lin = new nn.Linear(2, 3);
      drop = new nn.Dropout(0.5);
      seen: { training: boolean; grad: boolean }[] = [];
      override forward(x: Tensor): Tensor {
        this.seen.push({ training: this.training, grad: torch.isGradEnabled() });
        return this.drop.forward(this.lin.forward(x));
      }
    }
    const net = new Probe();
    const [X, y] = blobs(12);
    const it4 = d2l.loadArray([X, y], 4, false);
    d2l.evaluateAccuracy(net, it4);
    expect(net.seen).toEqual([0, 1, 2].map(() => ({ training: false, grad: false })));
    expect(net.training).toBe(true);
    expect(net.drop.training).toBe(true);

    net.eval();
    net.drop.training = true; // a mixed state comes back exactly
    d2l.evaluateAccuracy(net, it4);
    expect([net.training, net.lin.training, net.drop.training]).toEqual([false, false, true]);
    expect(torch.isGradEnabled()).toBe(true);
  });

  it("restores the mode even when the net throws", () => {
    const net = new nn.Sequential(new nn.Linear(3, 2));
    const [X, y] = blobs(4);
    expect(() => d2l.evaluateAccuracy(net, d2l.loadArray([X, y], 4))).toThrow(/Linear|matmul|shape/);
    expect(net.training).toBe(true);
  });
});

describe("sgd", () => {
  it("updates param -= lr * grad / batchSize with float32 rounding and zeroes the gradient", () => {
    const w = torch.tensor([1.5, -2.25, 0.1], { requiresGrad: true });
    const c = [0.3, -7.0, 1e-3];
    w.mul(torch.tensor(c)).sum().backward();
    const before = Array.from(w.dataSync());
    d2l.sgd([w], 0.1, 3);
    const f = Math.fround;
    const expected = before.map((v, i) => f(v - f(f(f(0.1) * f(c[i])) / 3)));
    expect(Array.from(w.dataSync())).toEqual(expected);
    expect(Array.from(w.grad!.dataSync())).toEqual([0, 0, 0]);
    expect(w.requiresGrad).toBe(true);
  });
  it("names a parameter without a gradient", () => {
    const w = torch.zeros([2, 2], { requiresGrad: true });
    expect(() => d2l.sgd([w], 0.1, 1)).toThrow(/sgd: parameter 0 \(shape \[2,2\]\) has no gradient/);
  });
});

describe("linear regression helpers", () => {
  it("linreg, squaredLoss and evaluateLoss follow the book's formulas", () => {
    const X = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    const w = torch.tensor([[0.5], [-1]]);
    const yHat = d2l.linreg(X, w, 2);
    expect(yHat.tolist()).toEqual([[0.5], [-0.5], [-1.5]]);
    const y = torch.tensor([1, 1, 1]);
    expect(d2l.squaredLoss(yHat, y).tolist()).toEqual([[0.125], [1.125], [3.125]]);
    const net = (x: Tensor): Tensor => d2l.linreg(x, w, 2);
    expect(d2l.evaluateLoss(net, d2l.loadArray([X, y], 2, false), d2l.squaredLoss)).toBeCloseTo((0.125 + 1.125 + 3.125) / 3, 6);
  });
  it("evaluateLoss asks for per-example losses", () => {
    const X = torch.randn(4, 2);
    const y = torch.randn(4, 1);
    const net = new nn.Linear(2, 1);
    expect(() => d2l.evaluateLoss(net, d2l.loadArray([X, y], 4), new nn.MSELoss())).toThrow(/reduction "none"/);
  });
  it("syntheticData draws y = Xw + b + noise with y shaped [n,1], repeatably", () => {
    const trueW = torch.tensor([2, -3.4]);
    torch.manualSeed(3);
    const [X, y] = d2l.syntheticData(trueW, 4.2, 1000);
    expect(X.shape).toEqual([1000, 2]);
    expect(y.shape).toEqual([1000, 1]);
    const resid = y.sub(d2l.linreg(X, trueW.reshape(2, 1), 4.2));
    const std = Math.sqrt(resid.pow(2).mean().item());
    expect(std).toBeGreaterThan(0.008);
    expect(std).toBeLessThan(0.012);
    torch.manualSeed(3);
    expect(Array.from(d2l.syntheticData(trueW, 4.2, 1000)[1].dataSync())).toEqual(Array.from(y.dataSync()));
  });
  it("loadArray batches every sample once, shuffled only for training", () => {
    const X = torch.arange(10).reshape(10, 1).float();
    const y = torch.arange(10);
    const ordered = d2l.loadArray([X, y], 4, false);
    expect(ordered.length).toBe(3);
    expect([...ordered].map(([xb]) => xb.shape[0])).toEqual([4, 4, 2]);
    expect([...ordered].flatMap(([, yb]) => Array.from(yb.dataSync()))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const shuffled = [...d2l.loadArray([X, y], 4)].flatMap(([, yb]) => Array.from(yb.dataSync()));
    expect([...shuffled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffled).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("trainEpochCh3 / trainCh3", () => {
  it("an optimizer (mean loss) and a custom sgd updater (summed loss) make the same update", () => {
    const [X, y] = blobs(8);
    const batches = [[X, y]] as const;
    const a = new nn.Linear(2, 3);
    const b = new nn.Linear(2, 3);
    b.weight.detach().copy_(a.weight.detach());
    b.bias!.detach().copy_(a.bias!.detach());
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const [la, aa] = d2l.trainEpochCh3(a, batches, loss, new torch.optim.SGD(a.parameters(), { lr: 0.5 }));
    const [lb, ab] = d2l.trainEpochCh3(b, batches, loss, (n) => d2l.sgd(b.parameters(), 0.5, n));
    expect(lb).toBeCloseTo(la, 6);
    expect(ab).toBe(aa);
    const wa = Array.from(a.weight.dataSync());
    Array.from(b.weight.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(wa[i], 6));
  });

  it("trains a tiny separable problem and passes the book's assertions (Module + optimizer)", () => {
    const [X, y] = blobs(300);
    const [Xt, yt] = blobs(90);
    const net = new nn.Sequential(new nn.Linear(2, 3));
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const result = d2l.trainCh3(net, d2l.loadArray([X, y], 10), d2l.loadArray([Xt, yt], 30, false), loss, 3, new torch.optim.SGD(net.parameters(), { lr: 0.1 }));
    expect(result.trainLoss).toBeLessThan(0.5);
    expect(result.trainAcc).toBeGreaterThan(0.7);
    expect(result.testAcc).toBeGreaterThan(0.7);
    // one live figure, updated in place once per epoch after the first
    expect(memory.displays.length).toBe(1);
    expect(memory.displays[0].live).toBe(true);
    expect(memory.displays[0].updates.length).toBe(2);
    expect(String(memory.displays[0].latest["text/plain"])).toMatch(/epoch 3: train loss .*, train acc .*, test acc/);
  });

  it("works with a plain function net and the d2l.sgd updater", () => {
    const [X, y] = blobs(300);
    const W = torch.normal(0, 0.01, [2, 3], { requiresGrad: true });
    const b = torch.zeros([3], { requiresGrad: true });
    const net = (x: Tensor): Tensor => x.matmul(W).add(b);
    const loss = (yHat: Tensor, yy: Tensor): Tensor => torch.nn.functional.crossEntropy(yHat, yy, { reduction: "none" });
    const r = d2l.trainCh3(net, d2l.loadArray([X, y], 10), d2l.loadArray(blobs(60), 60, false), loss, 2, (n) => d2l.sgd([W, b], 0.1, n));
    expect(r.trainAcc).toBeGreaterThan(0.7);
  });

  it("raises an AssertionError that shows the failing value", () => {
    const [X, y] = blobs(30);
    const net = new nn.Linear(2, 3);
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const frozen = new torch.optim.SGD(net.parameters(), { lr: 0 });
    let caught: unknown;
    try {
      d2l.trainCh3(net, d2l.loadArray([X, y], 10), d2l.loadArray([X, y], 10, false), loss, 1, frozen);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(d2l.AssertionError);
    const err = caught as Error;
    expect(err.name).toBe("AssertionError");
    // lr 0 leaves the random initial net, whose loss is above 0.5 here
    expect(err.message).toMatch(/^trainCh3: train loss \d\.\d+ is not < 0\.5$/);
    const shown = Number(/train loss (\S+)/.exec(err.message)![1]);
    const direct = torch.noGrad(() => loss.forward(net.forward(X), y).mean().item());
    expect(shown).toBeCloseTo(direct, 5);
  });

  it("checks the accuracy assertions too", () => {
    // loss is small but the test labels are all wrong
    const [X, y] = blobs(300);
    const shifted = torch.tensor(Array.from(y.dataSync(), (v) => (v + 1) % 3), { dtype: "int32" });
    const net = new nn.Linear(2, 3);
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    expect(() =>
      d2l.trainCh3(net, d2l.loadArray([X, y], 10), d2l.loadArray([X, shifted], 100, false), loss, 3, new torch.optim.SGD(net.parameters(), { lr: 0.1 })),
    ).toThrow(/^trainCh3: test accuracy 0(\.\d+)? is not in \(0\.7, 1\]$/);
  });

  it("asks for per-example losses and a usable updater", () => {
    const [X, y] = blobs(12);
    const net = new nn.Linear(2, 3);
    const it = d2l.loadArray([X, y], 4);
    expect(() => d2l.trainEpochCh3(net, it, new nn.CrossEntropyLoss(), new torch.optim.SGD(net.parameters(), { lr: 0.1 }))).toThrow(
      /trainEpochCh3: the loss gave one number for a batch of 4 examples/,
    );
    expect(() => d2l.trainEpochCh3(net, it, new nn.CrossEntropyLoss({ reduction: "none" }), 0.1 as unknown as d2l.Updater)).toThrow(
      /trainEpochCh3: updater must be an optimizer/,
    );
    expect(() => d2l.trainCh3(net, it, it, new nn.CrossEntropyLoss({ reduction: "none" }), 0, (n) => d2l.sgd(net.parameters(), 0.1, n))).toThrow(
      /trainCh3: numEpochs must be a positive integer, got 0/,
    );
  });
});

describe("Fashion-MNIST helpers", () => {
  it("getFashionMnistLabels names the ten classes", () => {
    expect(d2l.getFashionMnistLabels([0, 9, 3])).toEqual(["t-shirt", "ankle boot", "dress"]);
    expect(d2l.getFashionMnistLabels(torch.tensor([5, 7], { dtype: "int32" }))).toEqual(["sandal", "sneaker"]);
    expect(() => d2l.getFashionMnistLabels([10])).toThrow(/label 0 is 10/);
  });

  it("loadDataFashionMnist gives [B,1,28,28] batches in 0..1, subsets and resized images", () => {
    const [trainIter, testIter] = d2l.loadDataFashionMnist(256, { trainLimit: 1000, testLimit: 300 });
    expect(trainIter.length).toBe(4);
    expect(testIter.length).toBe(2);
    const [X, y] = [...testIter][0];
    expect(X.shape).toEqual([256, 1, 28, 28]);
    expect(X.dtype).toBe("float32");
    expect(y.dtype).toBe("int32");
    expect(X.max().item()).toBeLessThanOrEqual(1);
    expect(X.min().item()).toBeGreaterThanOrEqual(0);
    const [big] = d2l.loadDataFashionMnist(8, 32);
    const [Xb] = [...big][0];
    expect(Xb.shape).toEqual([8, 1, 32, 32]);
  });

  it("predictCh3 shows one 1xn image grid titled true/pred, predicting in eval mode", () => {
    const [, testIter] = d2l.loadDataFashionMnist(16, { trainLimit: 16, testLimit: 16 });
    const net = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10), new nn.Dropout(0.9));
    const first = d2l.predictCh3(net, testIter, 4);
    const second = d2l.predictCh3(net, testIter, 4);
    expect(first.preds).toEqual(second.preds); // dropout off while predicting
    expect(net.training).toBe(true);
    const [, y] = [...testIter][0];
    expect(first.trues).toEqual(d2l.getFashionMnistLabels(Array.from(y.dataSync()).slice(0, 4)));
    expect(memory.displays.length).toBe(2);
    expect(Object.keys(memory.displays[0].data)).toContain("image/png");
    expect(() => d2l.predictCh3(net, testIter, 17)).toThrow(/predictCh3: n = 17 but the first test batch has only 16 images/);
  });
});

describe("resizeImage", () => {
  // reference values: PIL Image.fromarray(a, "F").resize(..., BILINEAR), as torchvision's Resize
  it("upsamples like PIL's bilinear filter", () => {
    const a = torch.tensor([[[0, 0.25, 1], [0.5, 0.75, 0.125], [1, 0, 0.5]]]);
    const expected = [
      [0.0, 0.1, 0.25, 0.7, 1.0],
      [0.2, 0.3, 0.45, 0.57, 0.65],
      [0.5, 0.6, 0.75, 0.375, 0.125],
      [0.8, 0.6, 0.3, 0.33, 0.35],
      [1.0, 0.6, 0.0, 0.3, 0.5],
    ];
    const out = d2l.resizeImage(a, 5);
    expect(out.shape).toEqual([1, 5, 5]);
    (out.tolist() as number[][][])[0].flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i], 6));
  });
  it("downsamples with PIL's widened (antialiasing) filter", () => {
    const b = torch.tensor(Array.from({ length: 6 }, (_, r) => Array.from({ length: 6 }, (_, c) => ((r * 6 + c) % 7) / 7)));
    const expected = [
      [0.234375, 0.200397, 0.406746, 0.607143],
      [0.674603, 0.283951, 0.218695, 0.406746],
      [0.593254, 0.657848, 0.283951, 0.200397],
      [0.392857, 0.593254, 0.674603, 0.234375],
    ];
    const out = d2l.resizeImage(b, [4, 4]);
    (out.tolist() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i], 5));
  });
});

// d2l's GPU versions: the helpers move each batch to the net's device (its first parameter's), so a net on
// "webgpu" trains and evaluates from CPU data loaders with the same numbers as its CPU twin (float32 tolerance).
const gpu = testWebgpuBackend();

describe.skipIf(!gpu && !webgpuRequired())("the helpers on a webgpu net", () => {
  function twins(): [torch.nn.Module, torch.nn.Module] {
    const cpu = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const onGpu = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 3));
    onGpu.loadStateDict(cpu.stateDict());
    return [cpu, onGpu.to("webgpu")];
  }
  const closeLists = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));

  it("trainCh3 moves every batch to the net's device and matches the CPU run", () => {
    const [X, y] = blobs(120);
    const [Xt, yt] = blobs(60);
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const [cpu, onGpu] = twins();
    const run = (net: torch.nn.Module) =>
      d2l.trainCh3(net, d2l.loadArray([X, y], 20, false), d2l.loadArray([Xt, yt], 30, false), loss, 2, new torch.optim.SGD(net.parameters(), { lr: 0.1 }));
    const a = run(cpu);
    const b = run(onGpu);
    expect(b.trainLoss).toBeCloseTo(a.trainLoss, 4);
    expect(b.trainAcc).toBe(a.trainAcc);
    expect(b.testAcc).toBe(a.testAcc);
    expect(onGpu.parameters().every((p) => p.device === "webgpu")).toBe(true);
    closeLists(Array.from(onGpu.parameters()[0].dataSync()), Array.from(cpu.parameters()[0].dataSync()));
  });

  it("trainEpochCh3 with a custom updater, evaluateAccuracy and evaluateLoss follow the net's device", () => {
    const [X, y] = blobs(60);
    const batches = [[X, y]] as const;
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const [cpu, onGpu] = twins();
    const [la, aa] = d2l.trainEpochCh3(cpu, batches, loss, (n) => d2l.sgd(cpu.parameters(), 0.5, n));
    const [lb, ab] = d2l.trainEpochCh3(onGpu, batches, loss, (n) => d2l.sgd(onGpu.parameters(), 0.5, n));
    expect(lb).toBeCloseTo(la, 4);
    expect(ab).toBe(aa);
    expect(d2l.evaluateAccuracy(onGpu, batches)).toBe(d2l.evaluateAccuracy(cpu, batches));
    // evaluateLoss is the regression helper: one output per example, compared with y
    const line = new nn.Linear(2, 1);
    const lineGpu = new nn.Linear(2, 1);
    lineGpu.loadStateDict(line.stateDict());
    lineGpu.to("webgpu");
    const targets = [[X, X.sum(1)]] as const;
    const mse = new nn.MSELoss({ reduction: "none" });
    expect(d2l.evaluateLoss(lineGpu, targets, mse)).toBeCloseTo(d2l.evaluateLoss(line, targets, mse), 4);
  });

  it("a function net gets its device as the last argument, as d2l's evaluate_accuracy_gpu", () => {
    const [X, y] = blobs(120);
    const W = torch.normal(0, 0.01, [2, 3]).to("webgpu").requiresGrad_(true);
    const b = torch.zeros([3], { device: "webgpu", requiresGrad: true });
    const net = (x: Tensor): Tensor => x.matmul(W).add(b);
    const loss = (yHat: Tensor, yy: Tensor): Tensor => torch.nn.functional.crossEntropy(yHat, yy, { reduction: "none" });
    const train = d2l.loadArray([X, y], 10, false);
    const test = d2l.loadArray(blobs(60), 60, false);
    expect(() => d2l.evaluateAccuracy(net, test)).toThrow(/webgpu|device/);
    const r = d2l.trainCh3(net, train, test, loss, 2, (n) => d2l.sgd([W, b], 0.1, n), "webgpu");
    expect(r.trainAcc).toBeGreaterThan(0.7);
    expect(d2l.evaluateAccuracy(net, test, "webgpu")).toBe(r.testAcc);
    expect(W.device).toBe("webgpu");
  });

  it("predictCh3 predicts on the net's device and shows the same labels as on the CPU", () => {
    const [, testIter] = d2l.loadDataFashionMnist(8, { trainLimit: 8, testLimit: 8 });
    const cpu = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
    const onGpu = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
    onGpu.loadStateDict(cpu.stateDict());
    onGpu.to("webgpu");
    const a = d2l.predictCh3(cpu, testIter, 4);
    const b = d2l.predictCh3(onGpu, testIter, 4);
    expect(b).toEqual(a);
    expect(memory.displays.length).toBe(2);
  });
});
