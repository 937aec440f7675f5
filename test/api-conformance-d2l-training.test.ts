// docs/API.md's d2l training helpers, through the public entry, with the book's (d2l v0.17) behaviour:
// accuracy evaluateAccuracy trainEpochCh3 trainCh3 predictCh3 loadDataFashionMnist getFashionMnistLabels
// syntheticData loadArray sgd linreg squaredLoss evaluateLoss. (Written against the contract before the helpers
// were merged; the display helpers are in api-conformance.test.ts.)
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { torch, d2l } from "../kernel-lib/src/index";

const nn = torch.nn;
type T = torch.Tensor;
const ints = (xs: number[]) => torch.tensor(xs, { dtype: "int32" });

beforeEach(() => torch.manualSeed(0));
afterEach(() => {
  d2l.setDisplayBackend("auto");
});

/** A separable two-class problem: label 1 when x0 + x1 > 0. */
function twoClasses(n: number): [T, T] {
  const X = torch.randn(n, 2);
  return [X, X.sum(1).gt(0).int()];
}

describe("d2l metrics", () => {
  it("accuracy(yHat, y) is the NUMBER of correct predictions, from scores or from class indices", () => {
    const yHat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]);
    expect(d2l.accuracy(yHat, ints([0, 2]))).toBe(1);
    expect(d2l.accuracy(yHat, ints([2, 2]))).toBe(2);
    expect(d2l.accuracy(ints([1, 0, 1]), ints([1, 1, 1]))).toBe(2);
  });
  it("evaluateAccuracy(net, dataIter) is a fraction, runs in eval mode without a graph and restores train mode", () => {
    const modes: boolean[] = [];
    let recorded = false;
    class Probe extends nn.Module {
      fc = new nn.Linear(2, 2);
      override forward(X: T): T {
        modes.push(this.training);
        const out = this.fc.forward(X);
        recorded ||= out.requiresGrad;
        return out;
      }
    }
    const net = new Probe();
    const [X, y] = twoClasses(40);
    const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(X, y), { batchSize: 16 });
    const acc = d2l.evaluateAccuracy(net, loader);
    expect(modes).toEqual([false, false, false]);
    expect(recorded).toBe(false);
    expect(net.training).toBe(true);
    const expected = torch.noGrad(() => net.forward(X)).argmax(1).eq(y).float().mean().item();
    expect(acc).toBeCloseTo(expected, 6);
    // a plain function and an array of [X, y] batches work too
    expect(d2l.evaluateAccuracy((Z: T) => torch.stack([Z.sum(1).neg(), Z.sum(1)], 1), [[X, y]])).toBe(1);
  });
  it("evaluateLoss(net, dataIter, loss) is the average per-example loss", () => {
    const X = torch.tensor([[1], [2], [3], [4]]), y = torch.tensor([[1], [2], [3], [6]]);
    const net = (Z: T): T => Z;
    const avg = d2l.evaluateLoss(net, [[X.narrow(0, 0, 2), y.narrow(0, 0, 2)], [X.narrow(0, 2, 2), y.narrow(0, 2, 2)]], d2l.squaredLoss);
    expect(avg).toBeCloseTo((0 + 0 + 0 + 4 / 2) / 4, 6);
  });
});

describe("d2l linear regression from scratch (3.2)", () => {
  it("syntheticData(w, b, n): X ~ N(0,1) [n, len(w)], y = Xw + b + N(0, 0.01²) shaped [n, 1]", () => {
    const trueW = torch.tensor([2, -3.4]);
    const [features, labels] = d2l.syntheticData(trueW, 4.2, 1000);
    expect(features.shape).toEqual([1000, 2]);
    expect(labels.shape).toEqual([1000, 1]);
    expect(features.std().item()).toBeCloseTo(1, 1);
    const noise = labels.sub(torch.matmul(features, trueW.reshape(2, 1)).add(4.2));
    expect(noise.abs().max().item()).toBeLessThan(0.06);
    expect(noise.std().item()).toBeCloseTo(0.01, 2);
  });
  it("linreg, squaredLoss, sgd: the book's training loop recovers w and b", () => {
    const trueW = torch.tensor([2, -3.4]);
    const [features, labels] = d2l.syntheticData(trueW, 4.2, 1000);
    const w = torch.normal(0, 0.01, [2, 1], { requiresGrad: true });
    const b = torch.zeros(1, { requiresGrad: true });
    const lr = 0.03, batchSize = 10;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const [X, y] of d2l.loadArray([features, labels], batchSize)) {
        const l = d2l.squaredLoss(d2l.linreg(X, w, b), y);
        l.sum().backward();
        d2l.sgd([w, b], lr, batchSize);
      }
    }
    expect(w.reshape(2).sub(trueW).abs().max().item()).toBeLessThan(0.01);
    expect(Math.abs(b.item() - 4.2)).toBeLessThan(0.01);
  });
  it("linreg(X, w, b) = Xw + b; squaredLoss reshapes y to yHat's shape and halves the square", () => {
    const X = torch.tensor([[1, 2], [3, 4]]);
    expect(d2l.linreg(X, torch.tensor([[1], [1]]), torch.tensor([0.5])).tolist()).toEqual([[3.5], [7.5]]);
    expect(d2l.squaredLoss(torch.tensor([[1], [3]]), torch.tensor([0, 1])).tolist()).toEqual([[0.5], [2]]);
  });
  it("sgd(params, lr, batchSize): param -= lr * grad / batchSize, then the gradient is zeroed, outside any graph", () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    w.mul(torch.tensor([3, 4])).sum().backward();
    d2l.sgd([w], 0.1, 2);
    expect((w.tolist() as number[]).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.85, 1.8]);
    expect(w.grad!.tolist()).toEqual([0, 0]);
    expect(w.isLeaf).toBe(true);
  });
  it("loadArray(arrays, batchSize, isTrain?) batches in order when isTrain is false and shuffles otherwise", () => {
    const X = torch.arange(10).reshape(10, 1), y = torch.arange(10);
    const ordered = [...d2l.loadArray([X, y], 4, false)];
    expect(ordered.map(([, yb]) => yb.tolist())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const shuffled = [...d2l.loadArray([X, y], 10)][0][1].tolist() as number[];
    expect([...shuffled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffled).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("d2l chapter 3 training loops", () => {
  const loaders = (): [torch.utils.data.DataLoader<T[]>, torch.utils.data.DataLoader<T[]>] => {
    const [X, y] = twoClasses(400);
    const [Xt, yt] = twoClasses(200);
    return [
      new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(X, y), { batchSize: 20, shuffle: true }),
      new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(Xt, yt), { batchSize: 50 }),
    ];
  };
  it("trainEpochCh3 with a built-in optimizer returns [average loss, accuracy] and lowers the loss", () => {
    const [trainIter] = loaders();
    const net = new nn.Sequential(new nn.Linear(2, 2));
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    const trainer = new torch.optim.SGD(net.parameters(), { lr: 0.5 });
    const [l1, a1] = d2l.trainEpochCh3(net, trainIter, loss, trainer);
    const [l2, a2] = d2l.trainEpochCh3(net, trainIter, loss, trainer);
    expect(l2).toBeLessThan(l1);
    expect(a1).toBeGreaterThanOrEqual(0);
    expect(a2).toBeLessThanOrEqual(1);
    expect(a2).toBeGreaterThan(0.8);
  });
  it("trainEpochCh3 with a custom updater calls it with the batch size after sum().backward()", () => {
    const [trainIter] = loaders();
    const W = torch.normal(0, 0.01, [2, 2], { requiresGrad: true });
    const b = torch.zeros(2, { requiresGrad: true });
    const net = (X: T): T => torch.matmul(X, W).add(b);
    const sizes: number[] = [];
    let gradAtUpdate = 0;
    const updater = (batchSize: number): void => {
      sizes.push(batchSize);
      gradAtUpdate = b.grad!.abs().sum().item();
      d2l.sgd([W, b], 0.1, batchSize);
    };
    const crossEntropy = (yHat: T, y: T): T => torch.nn.functional.crossEntropy(yHat, y, { reduction: "none" });
    d2l.trainEpochCh3(net, trainIter, crossEntropy, updater);
    expect(sizes).toEqual(Array<number>(20).fill(20));
    expect(gradAtUpdate).toBeGreaterThan(0);
  });
  it("trainCh3 draws train loss / train acc / test acc in ONE live Animator and passes the book's checks", () => {
    const mem = d2l.captureDisplays();
    const [trainIter, testIter] = loaders();
    const net = new nn.Sequential(new nn.Linear(2, 2));
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    d2l.trainCh3(net, trainIter, testIter, loss, 5, new torch.optim.SGD(net.parameters(), { lr: 0.5 }));
    expect(mem.displays).toHaveLength(1);
    expect(mem.displays[0].updates).toHaveLength(4);
    const figure = mem.displays[0].latest["application/vnd.plotly.v1+json"] as unknown as { data: { name: string }[] };
    expect(figure.data.map((s) => s.name)).toEqual(["train loss", "train acc", "test acc"]);
  });
  it("trainCh3 raises the book's assertion when training fails", () => {
    d2l.captureDisplays();
    const [trainIter, testIter] = loaders();
    const net = new nn.Sequential(new nn.Linear(2, 2));
    nn.init.zeros_(net[0].weight);
    nn.init.zeros_(net[0].bias!);
    const loss = new nn.CrossEntropyLoss({ reduction: "none" });
    expect(() => d2l.trainCh3(net, trainIter, testIter, loss, 1, new torch.optim.SGD(net.parameters(), { lr: 0 }))).toThrow(/train loss/);
  });
});

describe("d2l Fashion-MNIST helpers", () => {
  it("getFashionMnistLabels maps class indices to the ten text labels", () => {
    expect(d2l.getFashionMnistLabels(ints([0, 1, 9]))).toEqual(["t-shirt", "trouser", "ankle boot"]);
    expect(d2l.getFashionMnistLabels(torch.arange(10, { dtype: "int32" }))).toEqual([
      "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot",
    ]);
  });
  it("loadDataFashionMnist(batchSize) gives [trainIter, testIter] of [batch,1,28,28] float images in 0..1 and int32 labels", () => {
    const [trainIter, testIter] = d2l.loadDataFashionMnist(256);
    expect(trainIter.length).toBe(Math.ceil(60000 / 256));
    expect(testIter.length).toBe(Math.ceil(10000 / 256));
    for (const [X, y] of testIter) {
      expect(X.shape).toEqual([256, 1, 28, 28]);
      expect(X.dtype).toBe("float32");
      expect(X.max().item()).toBeLessThanOrEqual(1);
      expect(X.min().item()).toBeGreaterThanOrEqual(0);
      expect(y.shape).toEqual([256]);
      expect(y.dtype).toBe("int32");
      break;
    }
  });
  it("predictCh3(net, testIter, n) shows one row of n images titled true\\npred", () => {
    const mem = d2l.captureDisplays();
    const X = torch.rand(8, 1, 28, 28);
    const y = ints([0, 1, 2, 3, 4, 5, 6, 7]);
    const logits = torch.zeros(8, 10).indexSelect(1, ints([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])); // every score 0 -> argmax 0
    d2l.predictCh3(() => logits, [[X, y]], 3);
    expect(mem.displays).toHaveLength(1);
    const text = String(mem.displays[0].data["text/plain"]);
    expect(text).toContain("1x3");
    expect(text).toContain(JSON.stringify("t-shirt\nt-shirt"));
    expect(text).toContain(JSON.stringify("trouser\nt-shirt"));
    expect(Object.keys(mem.displays[0].data)).toContain("image/png");
  });
});
