import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import * as nn from "../kernel-lib/src/nn/index";
import * as optim from "../kernel-lib/src/optim/index";

const param = (data: number[], dtype: "float32" | "float64" = "float32"): nn.Parameter =>
  new nn.Parameter(Tensor.fromTypedArray(dtype === "float32" ? Float32Array.from(data) : Float64Array.from(data), [data.length]));
const grad = (p: Tensor, data: number[]): void => {
  p.grad = Tensor.fromTypedArray(p.dtype === "float32" ? Float32Array.from(data) : Float64Array.from(data), [data.length]);
};

describe("Optimizer mechanics", () => {
  it("zeroGrad sets gradients to null; parameters without a gradient are left alone", () => {
    const a = param([1, 2]), b = param([3]);
    const opt = new optim.SGD([a, b], { lr: 0.5 });
    grad(a, [1, -1]);
    opt.step();
    expect(a.tolist()).toEqual([0.5, 2.5]);
    expect(b.tolist()).toEqual([3]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    grad(a, [2, 2]);
    opt.zeroGrad(false);
    expect(a.grad!.tolist()).toEqual([0, 0]);
  });

  it("updates in place: same storage, the parameter stays a leaf that requires grad", () => {
    const w = param([1, 2, 3]);
    const alias = w.data; // shares w's storage: an in-place step shows through it (on every backend)
    const opt = new optim.Adam([w], { lr: 0.1 });
    grad(w, [1, 1, 1]);
    opt.step();
    expect(alias.tolist()).toEqual(w.tolist());
    expect(w.isLeaf && w.requiresGrad).toBe(true);
    expect(Array.from(w.dataSync(), (v) => Math.round(v * 1e6) / 1e6)).toEqual([0.9, 1.9, 2.9]); // Adam's first step is lr·sign(g)
  });

  it("a step invalidates graphs that saved the parameter (backward afterwards is an error, not a wrong gradient)", () => {
    const w = param([1, 2]);
    const opt = new optim.SGD([w], { lr: 0.1 });
    const y = w.mul(w).sum();
    grad(w, [1, 1]);
    opt.step();
    expect(() => y.backward()).toThrow(/modified by an in-place operation/);
  });

  it("param groups take their own hyper-parameters, and paramGroups[i].lr can be changed between steps", () => {
    const a = param([1]), b = param([1]);
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    expect(opt.paramGroups[1].momentum).toBe(0);
    grad(a, [1]);
    grad(b, [1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBeCloseTo(0.5, 6);
    opt.paramGroups[0].lr = 1;
    opt.step();
    expect(a.item()).toBeCloseTo(-0.1, 6);
  });

  it("takes model.parameters() and trains a model (loss falls)", () => {
    const net = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
    const X = Tensor.fromTypedArray(Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]), [4, 2]);
    const Y = Tensor.fromTypedArray(Float32Array.from([0, 1, 1, 0]), [4, 1]);
    const lossFn = new nn.MSELoss();
    for (const opt of [new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 }), new optim.AdamW(net.parameters(), { lr: 0.05 })]) {
      const first = lossFn.forward(net.forward(X), Y).item();
      let last = first;
      for (let i = 0; i < 100; i++) {
        opt.zeroGrad();
        const loss = lossFn.forward(net.forward(X), Y);
        loss.backward();
        opt.step();
        last = loss.item();
      }
      expect(last).toBeLessThan(first);
    }
  });

  it("step(closure) evaluates the closure first and returns its loss", () => {
    const w = param([2]);
    const opt = new optim.SGD([w], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.mul(w).sum();
      l.backward();
      return l;
    });
    expect(loss!.item()).toBe(4);
    expect(w.item()).toBe(1); // 2 - 0.25 * 4
  });

  it("float64 parameters are updated in float64", () => {
    const w = param([1], "float64");
    const opt = new optim.SGD([w], { lr: 0.1 });
    grad(w, [1 / 3]);
    opt.step();
    expect(w.item()).toBe(1 - 0.1 * (1 / 3));
  });

  it("maximize ascends", () => {
    const w = param([1]);
    const opt = new optim.SGD([w], { lr: 0.5, maximize: true });
    grad(w, [1]);
    opt.step();
    expect(w.item()).toBe(1.5);
  });

  it("explains bad arguments", () => {
    const w = param([1]);
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/SGD: got an empty parameter list/);
    expect(() => new optim.SGD([w], { lr: -1 })).toThrow(/SGD: invalid learning rate lr: -1/);
    expect(() => new optim.SGD([w], { lr: 0.1, nesterov: true })).toThrow(/nesterov momentum requires a momentum > 0 and zero dampening/);
    expect(() => new optim.Adam([w], { betas: [0.9, 1] })).toThrow(/Adam: invalid beta parameter at index 1: 1/);
    expect(() => new optim.AdamW([w], { eps: -1 })).toThrow(/AdamW: invalid eps: -1/);
    expect(() => new optim.SGD([w.mul(2)], { lr: 0.1 })).toThrow(/can't optimize a non-leaf Tensor/);
    expect(() => new optim.SGD([Tensor.fromTypedArray(new Int32Array([1]), [1])], { lr: 0.1 })).toThrow(/dtype int32; only float32\/float64/);
    expect(() => new optim.SGD([{ params: [w] }, { params: [w] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
    const opt = new optim.SGD([w], { lr: 0.1 });
    w.grad = Tensor.fromTypedArray(new Float32Array(2), [2]);
    expect(() => opt.step()).toThrow(/SGD.step: a parameter float32 \[1\] has a gradient float32 \[2\]/);
  });

  it("defaults follow PyTorch", () => {
    const w = param([1]);
    expect(new optim.Adam([w]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new optim.AdamW([w]).defaults.weightDecay).toBe(1e-2);
    expect(new optim.SGD([w]).defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
  });

  it("stateDict uses PyTorch's layout and loadStateDict resumes training exactly", () => {
    const grads = [[0.3, -0.2, 0.1], [0.1, 0.4, -0.5], [-0.2, 0.2, 0.3], [0.5, -0.1, 0.0], [0.05, 0.05, -0.3]];
    for (const make of [
      (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }),
      (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01, amsgrad: true }),
      (ps: Tensor[]) => new optim.AdamW(ps, { lr: 0.01 }),
    ]) {
      const a = param([1, 2, 3]), b = param([0]);
      const optA = make([a, b]);
      for (const g of grads.slice(0, 3)) {
        grad(a, g);
        optA.step();
      }
      const sd = optA.stateDict();
      expect(Object.keys(sd.state)).toEqual(["0"]); // b never had a gradient
      expect(sd.paramGroups[0].params).toEqual([0, 1]);
      expect(sd.paramGroups[0].lr).toBe(optA.paramGroups[0].lr);
      const resumed = param(Array.from(a.dataSync()));
      const optB = make([resumed, param([0])]);
      optB.loadStateDict(sd);
      for (const g of grads.slice(3)) {
        grad(a, g);
        optA.step();
        grad(resumed, g);
        optB.step();
      }
      expect(Array.from(resumed.dataSync())).toEqual(Array.from(a.dataSync()));
    }
    const sgd = new optim.SGD([param([1])], { lr: 0.1, momentum: 0.9 });
    const w = sgd.paramGroups[0].params[0];
    grad(w, [1]);
    sgd.step();
    const sd = sgd.stateDict();
    expect(Object.keys(sd.state["0"])).toEqual(["momentumBuffer"]);
    expect((sd.state["0"].momentumBuffer as Tensor).tolist()).toEqual([1]);
    const adam = new optim.Adam([param([1])]);
    grad(adam.paramGroups[0].params[0], [1]);
    adam.step();
    expect(Object.keys(adam.stateDict().state["0"])).toEqual(["step", "expAvg", "expAvgSq"]);
    expect(adam.stateDict().state["0"].step).toBe(1);
  });

  it("loadStateDict explains a state dict from a different set of parameters", () => {
    const opt = new optim.SGD([param([1]), param([2])], { lr: 0.1 });
    const other = new optim.SGD([param([1])], { lr: 0.1 });
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(/SGD.loadStateDict: parameter group 0 has 1 parameters in the state dict but 2 here/);
    const two = new optim.SGD([{ params: [param([1])] }, { params: [param([1])] }], { lr: 0.1 });
    expect(() => opt.loadStateDict(two.stateDict())).toThrow(/the state dict has 2 parameter groups, this optimizer has 1/);
  });
});
