// Issue 12: student code runs as typed in PyTorch's spelling. One test per item, each using the student's line
// (the lines themselves live in test/types/spelling.ts, which tslab's TypeScript also compiles: api-types.test.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FASHION_MNIST_SOURCE } from "../kernel-lib/src/datasets/sources";
import { describe, expect, it, vi } from "vitest";
import { torch, d2l, transforms, iter, next, len } from "../kernel-lib/src/index";
import * as spelling from "./types/spelling";
import { gradcheck, input } from "./helpers/gradcheck";

describe("issue 12: PyTorch spellings", () => {
  it("(1) forward may return a tuple [logits, probas]; (3) modules and losses are callable, same as forward", () => {
    const r = spelling.callableModules();
    expect(r.logits.shape).toEqual([5, 2]);
    expect(r.probas.sum(1).tolist()).toEqual([1, 1, 1, 1, 1].map((v) => expect.closeTo(v, 6)));
    expect(r.viaForward.tolist()).toEqual(r.logits.tolist());
    expect(r.loss.shape).toEqual([]);
    expect(r.name).toBe("mlp");
    expect(r.y.shape).toEqual([5, 2]);
    expect(r.predicted.shape).toEqual([5]);
    // still a Module in every way
    expect(r.model).toBeInstanceOf(torch.nn.Module);
    expect(r.model.namedParameters().map(([n]) => n)).toEqual(["linear1.weight", "linear1.bias", "linearOut.weight", "linearOut.bias"]);
    expect(Object.keys(r.model)).toEqual(["training", "linear1", "linearOut", "name"]);
    expect(String(r.model)).toContain("MultilayerPerceptron(\n  (linear1): Linear(in_features=4, out_features=3, bias=True)");
  });

  it("(3) a module field called name or length is an ordinary field", () => {
    class Named extends torch.nn.Module {
      name: string;
      length = 3;
      constructor() {
        super();
        this.name = "encoder";
      }
      override forward(x: torch.Tensor): torch.Tensor {
        return x;
      }
    }
    const m = new Named();
    expect([m.name, m.length]).toEqual(["encoder", 3]);
    m.name = "decoder";
    expect(m.name).toBe("decoder");
  });

  it("(2) t[i] is a tensor row (negative from the end), t[i] = v writes it, out of range is a clear error; ds[i] indexes", () => {
    const r = spelling.indexing();
    expect(r.row.tolist()).toEqual([4, 5, 6, 7]);
    expect(r.last.tolist()).toEqual([8, 9, 10, 11]);
    expect(r.element.item()).toBe(11);
    expect(r.t.tolist()).toEqual([[-1, -1, -1, -1], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(r.features.tolist()).toEqual([0, 1]);
    expect((r.label as torch.Tensor).item()).toBe(7);
    expect((r.lastSample[0] as torch.Tensor).tolist()).toEqual([4, 5]);
    const t = torch.zeros([2, 3]);
    expect(() => t[2]).toThrow(/Tensor\[index\]: index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => t[-3]).toThrow(/index -3 is out of bounds/);
    expect(() => torch.tensor(1)[0]).toThrow(/invalid index of a 0-d tensor/);
    t[1] = torch.tensor([1, 2, 3]);
    expect(t.tolist()).toEqual([[0, 0, 0], [1, 2, 3]]);
    expect(() => (t[0] = torch.ones([2]))).toThrow(/cannot be written into row 0 of shape \[3\]/);
    const ds = new torch.utils.data.TensorDataset(torch.zeros([2, 1]));
    expect(() => ds[5]).toThrow(/TensorDataset\[index\]: index 5 is out of range for a dataset of 2 samples/);
    // other properties are untouched by the indexing machinery
    expect((t as unknown as { then?: unknown }).then).toBeUndefined();
    expect(Object.keys(t)).not.toContain("0");
  });

  it("(2) gradients flow through t[i]", () => {
    const w = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    w[1].mul(2).sum().backward();
    expect(w.grad!.tolist()).toEqual([[0, 0], [2, 2]]);
    expect(() => (w[0] = torch.tensor(0))).toThrow(/leaf tensor that requires grad/);
  });
});

describe("issue 12 (11): arange follows PyTorch's formula", () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "ops.json"), "utf8")) as {
    cases: { name: string; outputs: { data: number[] }[] }[];
  };
  const cases = fixture.cases.filter((c) => /^arange \S+ \S+ \S+ float(32|64)$/.test(c.name));
  it("has the generated cases", () => expect(cases.length).toBeGreaterThanOrEqual(14));
  for (const c of cases) {
    it(`${c.name}: every value bit-identical to PyTorch's`, () => {
      const [, a, b, step, dtype] = c.name.split(" ");
      const x = torch.arange(Number(a), Number(b), Number(step), { dtype: dtype as torch.DType });
      const expected = dtype === "float32" ? Float32Array.from(c.outputs[0].data) : Float64Array.from(c.outputs[0].data);
      expect(Array.from(x.dataSync())).toEqual(Array.from(expected));
    });
  }
  it("torch.arange(-8.0, 8.0, 0.1): 160 values, x[80] is PyTorch's 4.44e-16, not 0", () => {
    const x = torch.arange(-8.0, 8.0, 0.1);
    expect(x.shape).toEqual([160]);
    expect(x[80].item()).toBe(Math.fround(2 ** -51));
  });
});

describe("issue 12 (4)-(10): namespaces, keywords, iteration, devices, loaders, Animator, builtins", () => {
  it("(4) nn, F, optim, utils, datasets, transforms come from kernel-lib; (5) keyword options and positional forms agree", () => {
    const r = spelling.keywordsAndNamespaces();
    expect(r.p1.tolist()).toEqual(r.p2.tolist());
    expect(r.values.tolist()).toEqual(r.v2.tolist());
    expect(r.indices.tolist()).toEqual(r.a1.tolist());
    expect(r.s0.shape).toEqual([3]);
    expect(r.s1.shape).toEqual([6, 1]);
    expect(r.m1.shape).toEqual([6, 1]);
    expect(r.sgd.paramGroups[0].lr).toBe(0.01);
    expect(r.sgdMomentum.paramGroups[0].momentum).toBe(0.9);
    expect(r.adam.paramGroups[0].lr).toBe(1e-3);
    expect(r.adam.paramGroups[0].betas).toEqual([0.9, 0.999]);
    expect(r.loader.batchSize).toBe(4);
    expect(r.loader.shuffle).toBe(true);
    expect(r.batches).toBe(2 + 3);
    expect(() => r.x.sum({ dims: 0 } as never)).toThrow(/sum: unknown option "dims"/);
    expect(() => torch.nn.functional.softmax(r.x, {} as never)).toThrow(/softmax: give the dim/);
  });

  it("(6) for (const row of t) walks the first dim; len(t), len(ds), len(loader); iter/next", () => {
    const r = spelling.keywordsAndNamespaces();
    expect(r.rows).toEqual([4, 4, 4, 4, 4, 4]);
    expect(r.lengths).toEqual([6, 6, 2, 3]);
    const it = iter(r.loader);
    const [X, y] = next(it);
    expect(X.shape).toEqual([4, 4]);
    expect(y.dtype).toBe("int32");
    next(it);
    expect(next(it, null)).toBeNull();
    expect(() => next(it)).toThrow(/StopIteration/);
    expect(() => [...torch.tensor(3)]).toThrow(/iteration over a 0-d tensor/);
    expect(() => len(torch.tensor(3))).toThrow(/len\(\) of a 0-d tensor/);
  });

  it("(7) device strings: cpu works, cuda:0 says there is no CUDA and what there is", () => {
    const r = spelling.keywordsAndNamespaces();
    expect(r.onCpu.device).toBe("cpu");
    expect(r.netOnCpu).toBeInstanceOf(torch.nn.Module);
    expect(() => r.x.to("cuda:0")).toThrow(/to: "cuda:0" is not available here: there is no CUDA .*GPU device is "webgpu"/);
    expect(() => new torch.nn.Linear(2, 2).to("cuda")).toThrow(/Linear.to: "cuda" is not available here/);
    const device = torch.cuda.isAvailable() ? "cuda:0" : "cpu";
    expect(torch.ones([2]).to(device).device).toBe("cpu");
  });

  it("(9) Animator with xlim [1, 1] (one epoch) warns like matplotlib and draws", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 1], legend: ["train loss"] });
      animator.add(1, [0.5]);
      expect(animator.summary()).toContain("train loss");
      expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/identical low and high xlims.*automatically expanding/);
    } finally {
      warn.mockRestore();
    }
  });

  it("(10) transforms.ToTensor(): a uint8 [H,W] image becomes float [1,H,W] / 255; dataset images pass through", () => {
    const toTensor = transforms.ToTensor();
    const img = torch.tensor([[0, 255], [51, 102]], { dtype: "uint8" });
    expect(toTensor(img).shape).toEqual([1, 2, 2]);
    expect(toTensor(img).tolist()).toEqual([[[0, 1], [0.2, 0.4]]].map((r) => r.map((c) => c.map((v) => expect.closeTo(v, 6)))));
    const already = torch.rand([1, 28, 28]);
    expect(toTensor(already)).toBe(already);
    const norm = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]);
    expect(norm(img).tolist()).toEqual([[[-1, 1], [-0.6, -0.2]]].map((r) => r.map((c) => c.map((v) => expect.closeTo(v, 6)))));
  });
});

describe("issue 12 (10): missing functions", () => {
  it("Tensor.round rounds half to even like PyTorch; floor and ceil as methods", () => {
    const t = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.7, 2.2]);
    expect(t.round().tolist()).toEqual([0, 2, 2, -0, -2, 2]);
    expect(t.floor().tolist()).toEqual([0, 1, 2, -1, -2, 2]);
    expect(t.ceil().tolist()).toEqual([1, 2, 3, -0, -1, 3]);
  });

  it("torch.meshgrid(x, y, { indexing }) gives PyTorch's grids and is differentiable (float64 finite differences)", () => {
    const [gx, gy] = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([4, 5]), { indexing: "ij" });
    expect(gx.tolist()).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(gy.tolist()).toEqual([[4, 5], [4, 5], [4, 5]]);
    const [xx] = torch.meshgrid([torch.tensor([1, 2, 3]), torch.tensor([4, 5])], { indexing: "xy" });
    expect(xx.shape).toEqual([2, 3]);
    for (const indexing of ["ij", "xy"] as const) {
      gradcheck(`meshgrid ${indexing}`, (a, b) => {
        const [u, v] = torch.meshgrid(a, b, { indexing });
        return u.mul(v).add(u.mul(u));
      }, [input([3], 1), input([4], 2)]);
    }
    expect(() => torch.meshgrid(torch.zeros([2, 2]))).toThrow(/meshgrid: argument 0 must be a 0-D or 1-D tensor, got shape \[2,2\]/);
  });
});

describe("issue 12 (5): the remaining keyword parameters as options objects", () => {
  const r = spelling.moreKeywords();
  const same = (spellings: torch.Tensor[], shape: number[]) => {
    for (const t of spellings) expect(t.shape).toEqual(shape);
    for (const t of spellings.slice(1)) expect(t.tolist()).toEqual(spellings[0].tolist());
  };
  it("torch.cat(ts, { dim }) and torch.stack(ts, { dim })", () => {
    same(r.cat, [2, 6]);
    expect(r.cat[0].tolist()).toEqual([[0, 1, 2, 1, 1, 1], [3, 4, 5, 1, 1, 1]]);
    same(r.stack, [2, 3, 2]);
  });
  it("unsqueeze({ dim }), squeeze({ dim }), flatten({ startDim, endDim })", () => {
    same(r.unsqueeze.slice(0, 2), [1, 2, 3]);
    expect(r.unsqueeze[2].shape).toEqual([2, 3, 1]);
    same(r.squeeze, [2, 3]);
    same(r.flatten.slice(0, 2), [2, 3]);
    expect(r.flatten[2].shape).toEqual([2, 3]);
  });
  it("norm({ p, dim, keepdim }), logsumexp(x, { dim, keepdim })", () => {
    same(r.norm.slice(0, 2), [2, 1]);
    expect(r.norm[0].tolist()).toEqual([[3], [12]]);
    same(r.norm.slice(2), [3]);
    same(r.logsumexp, [2, 1]);
    expect(r.logsumexp[0].dataSync()[0]).toBeCloseTo(Math.log(Math.exp(0) + Math.exp(1) + Math.exp(2)), 5);
  });
  it("std/var({ dim, keepdim, unbiased }), positional unbiased, correction", () => {
    same(r.std, [2, 1]);
    expect(r.std[0].dataSync()[0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    same(r.var, [3]);
    expect(r.var[0].tolist()).toEqual([4.5, 4.5, 4.5]);
    const x = torch.tensor([1, 2, 3, 4]);
    expect(x.var(false).item()).toBeCloseTo(1.25, 6);
    expect(torch.var(x, { unbiased: false }).item()).toBeCloseTo(1.25, 6);
    expect(x.var().item()).toBeCloseTo(5 / 3, 6);
  });
  it("a misspelt keyword names the op and its options", () => {
    const a = torch.zeros([2, 2]);
    expect(() => torch.cat([a, a], { axis: 1 } as never)).toThrow(/cat: unknown option "axis" \(the options are dim\)/);
    expect(() => a.flatten({ start_dim: 1 } as never)).toThrow(/flatten: unknown option "start_dim" \(the options are startDim, endDim\)/);
    expect(() => a.std({ dim: 0, ddof: 1 } as never)).toThrow(/std: unknown option "ddof"/);
    expect(() => a.var({ unbiased: true, correction: 0 })).toThrow(/var: give unbiased or correction, not both/);
  });
});

describe("issue 12 (10): torch.autograd.grad", () => {
  it("returns the gradients backward computes, without touching .grad", () => {
    const r = spelling.autogradGrad();
    expect(r.x.grad).toBeNull();
    expect(r.w.grad).toBeNull();
    r.y.backward(); // the graph was retained
    expect(r.dx!.tolist()).toEqual(r.x.grad!.tolist());
    expect(r.dw!.tolist()).toEqual(r.w.grad!.tolist());
    expect(r.dx!.tolist()).toEqual([0.5, 4, 24]); // 2 x w^2
  });

  it("gradOutputs weights a non-scalar output (d x^3 = 3x^2); createGraph says double backward is unsupported", () => {
    const r = spelling.autogradGrad();
    expect(r.dz!.tolist()).toEqual([3, 12, 27]);
    expect(r.dz!.requiresGrad).toBe(false);
    expect(r.x.grad).toBeNull();
    expect(() => torch.autograd.grad(r.x.pow(3).sum(), r.x, { createGraph: true })).toThrow(/createGraph \(double backward\) is not supported/);
  });

  it("several outputs with gradOutputs sum their vector-Jacobian products; non-leaf inputs; float64 against backward", () => {
    torch.manualSeed(1);
    const a = torch.randn([3, 2], { dtype: "float64", requiresGrad: true });
    const h = a.tanh();
    const o1 = h.mul(a).sum(1);
    const o2 = h.exp();
    const v1 = torch.randn([3], { dtype: "float64" });
    const v2 = torch.randn([3, 2], { dtype: "float64" });
    const [ga, gh] = torch.autograd.grad([o1, o2], [a, h], { gradOutputs: [v1, v2], retainGraph: true });
    h.retainGrad();
    o1.mul(v1).sum().add(o2.mul(v2).sum()).backward();
    const close = (p: torch.Tensor, q: torch.Tensor) => Array.from(p.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(q.dataSync()[i], 12));
    close(ga!, a.grad!);
    expect(gh!.shape).toEqual([3, 2]);
    // dL/dh = v1[:, None] * a + v2 * exp(h)
    close(gh!, v1.unsqueeze(1).mul(a).add(v2.mul(h.exp())).detach());
  });

  it("an input the outputs do not use is an error unless allowUnused; bad arguments are clear", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const u = torch.tensor([3], { requiresGrad: true });
    expect(() => torch.autograd.grad(x.sum(), [x, u])).toThrow(/autograd.grad: input 1 \(shape \[1\]\) was not used.*allowUnused: true/);
    const [gx, gu] = torch.autograd.grad(x.sum(), [x, u], { allowUnused: true });
    expect(gx!.tolist()).toEqual([1, 1]);
    expect(gu).toBeNull();
    expect(() => torch.autograd.grad(x.mul(2), x)).toThrow(/only for scalar outputs.*pass gradOutputs/);
    expect(() => torch.autograd.grad(x.sum(), torch.ones([2]))).toThrow(/input 0 \(shape \[2\]\) does not require grad/);
    expect(() => torch.autograd.grad(x.sum(), x, { retain_graph: true } as never)).toThrow(/unknown option "retain_graph"/);
    const y = x.mul(x).sum();
    torch.autograd.grad(y, x);
    expect(() => torch.autograd.grad(y, x)).toThrow(/backward through the graph a second time/);
  });
});

describe("issue 12 (10): scatter_ and scatter", () => {
  it("scatter_(dim, index, value) writes in place (one-hot targets); scatter(dim, index, src) copies", () => {
    const r = spelling.scatterOneHot();
    expect(r.onehot.tolist()).toEqual([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
    expect(r.placed.tolist()).toEqual([[0, 0, 5, 0], [6, 0, 0, 0], [0, 7, 0, 0]]);
    const t = torch.zeros([2, 3]);
    const same = t.scatter_(0, torch.tensor([[1, 0, 1]], { dtype: "int32" }), torch.tensor([[1, 2, 3]]));
    expect(same).toBe(t);
    expect(t.tolist()).toEqual([[0, 2, 0], [1, 0, 3]]);
    const x = torch.ones([2, 2]);
    expect(x.scatter(1, torch.tensor([[-1], [0]], { dtype: "int32" }), 0).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(x.tolist()).toEqual([[1, 1], [1, 1]]);
  });

  it("is differentiable w.r.t. the tensor and src (float64 finite differences)", () => {
    const index = torch.tensor([[0, 2], [3, 1], [1, 0]], { dtype: "int32" });
    gradcheck("scatter src", (x, s) => x.scatter(1, index, s).mul(x.add(1)), [input([3, 4], 1), input([3, 2], 2)]);
    gradcheck("scatter value", (x) => x.scatter(0, torch.tensor([[2, 0, 1, 1]], { dtype: "int32" }), 1.5).pow(2), [input([3, 4], 3)]);
    gradcheck("scatter_ on a non-leaf", (x, s) => x.mul(2).scatter_(1, index, s).sum(1), [input([3, 4], 4), input([3, 2], 5)]);
  });

  it("bad index dtype, shape or range, and a src of another dtype, are clear errors", () => {
    const t = torch.zeros([2, 3]);
    expect(() => t.scatter_(1, torch.tensor([[0], [1]]), 1)).toThrow(/scatter_: index must be an int32 tensor, got float32/);
    expect(() => t.scatter_(1, torch.tensor([0, 1], { dtype: "int32" }), 1)).toThrow(/scatter_: index of shape \[2\] must have the rank of the tensor \[2,3\]/);
    expect(() => t.scatter_(1, torch.tensor([[0], [1], [2]], { dtype: "int32" }), 1)).toThrow(/no larger than it outside dim 1/);
    expect(() => t.scatter(1, torch.tensor([[0, 1]], { dtype: "int32" }), torch.ones([1, 1]))).toThrow(/no larger than src \[1,1\]/);
    expect(() => t.scatter_(1, torch.tensor([[3], [0]], { dtype: "int32" }), 1)).toThrow(/scatter_: index 3 is out of range for dim 1 of a tensor of shape \[2,3\] of size 3/);
    expect(() => t.scatter(0, torch.tensor([[0]], { dtype: "int32" }), torch.ones([1, 1], { dtype: "float64" }))).toThrow(/scatter: src has dtype float64 but the tensor is float32/);
    expect(t.tolist()).toEqual([[0, 0, 0], [0, 0, 0]]); // nothing written by a failed call
    const w = torch.zeros([2], { requiresGrad: true });
    expect(() => w.scatter_(0, torch.tensor([0], { dtype: "int32" }), 1)).toThrow(/scatter_: a leaf tensor that requires grad/);
  });
});

describe("issue 12 (10): the datasets' download option", () => {
  it("new MNIST({ root, train, download }) reads the shipped files either way", () => {
    const r = spelling.datasetDownload();
    expect(len(r.withDownload)).toBe(10000);
    expect(len(r.offline)).toBe(10000);
    expect(r.offline[0][1]).toBe(r.withDownload[0][1]);
  });
  it("FashionMNIST with download false and the files absent names where it looked and how to get them", () => {
    const source = { ...FASHION_MNIST_SOURCE, name: "AbsentFashion", folder: "absent-fashion-for-test" };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "absent-"));
    expect(() => new torch.datasets.FashionMNIST({ root, train: true, download: false, source })).toThrow(
      /AbsentFashion: the train files \(train-images-idx3-ubyte\.gz, train-labels-idx1-ubyte\.gz\) were not found in:\n  .*absent-\w+ \(root option\)[\s\S]*Pass \{ download: true \} to fetch them from http/,
    );
  });
});

describe("issue 12 (10): utils.makeGrid is torchvision's make_grid", () => {
  type Enc = { shape: number[]; data: number[] };
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "make-grid.json"), "utf8")) as {
    cases: { name: string; images: Enc | Enc[]; options: Record<string, unknown>; output: Enc }[];
  };
  const decode = (e: Enc) => torch.tensor(e.data).reshape(e.shape);
  const camel: Record<string, string> = { pad_value: "padValue", value_range: "valueRange", scale_each: "scaleEach" };
  it("has the generated cases", () => expect(fixture.cases.length).toBe(6));
  for (const c of fixture.cases) {
    it(`${c.name}: torchvision's grid`, () => {
      const images = Array.isArray(c.images) ? c.images.map(decode) : decode(c.images);
      const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel[k] ?? k, v]));
      const grid = torch.utils.makeGrid(images, options);
      expect(grid.shape).toEqual(c.output.shape);
      Array.from(grid.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(c.output.data[i], 6));
    });
  }
  it("the lab's spelling; a grayscale batch becomes 3 channels; bad input is a clear error", () => {
    const r = spelling.imageGrid(torch.rand([6, 1, 28, 28]));
    expect(r.grid.shape).toEqual([3, 2 * 30 + 2, 4 * 30 + 2]);
    expect(r.positional.shape).toEqual(r.grid.shape);
    expect(r.hwc.shape).toEqual([62, 122, 3]);
    expect(() => torch.utils.makeGrid(torch.zeros([2, 1, 2, 2, 2]))).toThrow(/makeGrid: expects images \[N, C, H, W\].*got shape \[2,1,2,2,2\]/);
    expect(() => torch.utils.makeGrid(torch.zeros([2, 1, 2, 2]), { pad_value: 1 } as never)).toThrow(/makeGrid: unknown option "pad_value"/);
    expect(() => torch.utils.makeGrid([torch.zeros([1, 2, 2]), torch.zeros([1, 3, 2])])).toThrow(/image 1 of the list has shape \[1,3,2\]/);
  });
});
