import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import * as nn from "../kernel-lib/src/nn/index";
import fixture from "./fixtures/nn-names.json";

const t = (data: number[], shape: number[]): Tensor => Tensor.fromTypedArray(new Float32Array(data), shape);
const ones = (n: number): Tensor => t(new Array<number>(n).fill(1), [n]);
const shapes = (pairs: [string, Tensor][]): [string, number[]][] => pairs.map(([k, v]) => [k, v.shape]);

/** The TypeScript twin of gen_nn.py's Block, fields in the same order. */
class Block extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  scale = new nn.Parameter(ones(3));
  act = new nn.ReLU();
  layers = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 2, { bias: false })]);
  head = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Tanh(), new nn.Linear(2, 1)));
  prelu = new nn.PReLU();
}

/** The same with a plain array of modules instead of a ModuleList. */
class ArrayBlock extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  scale = new nn.Parameter(ones(3));
  act = new nn.ReLU();
  layers = [new nn.Linear(3, 3), new nn.Linear(3, 2, { bias: false })];
  head = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Tanh(), new nn.Linear(2, 1)));
  prelu = new nn.PReLU();
}

const nested = (): nn.Module => new nn.Sequential(new nn.Flatten(), new Block(), new nn.Sequential(new nn.Sigmoid(), new nn.Linear(1, 2)));
const mlp = () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 256), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(256, 10));

describe("Module discovery matches PyTorch's names and order", () => {
  it("a Sequential MLP", () => {
    const net = mlp();
    expect(shapes(net.namedParameters())).toEqual(fixture.mlp.namedParameters);
    expect(shapes(Object.entries(net.stateDict()))).toEqual(fixture.mlp.stateDict);
    expect(net.namedModules().map(([k, m]) => [k, m.constructor.name])).toEqual(fixture.mlp.namedModules);
    expect(net.children().map((m) => m.constructor.name)).toEqual(fixture.mlp.children);
    expect(net.parameters().length).toBe(4);
  });

  it("a custom module with a Parameter field, a ModuleList and nested Sequentials", () => {
    const net = nested();
    expect(shapes(net.namedParameters())).toEqual(fixture.nested.namedParameters);
    expect(shapes(Object.entries(net.stateDict()))).toEqual(fixture.nested.stateDict);
    expect(net.namedModules().map(([k, m]) => [k, m.constructor.name])).toEqual(fixture.nested.namedModules);
    expect(net.children().map((m) => m.constructor.name)).toEqual(fixture.nested.children);
  });

  it("a plain array of modules gives the same parameter names (without the ModuleList entry)", () => {
    const net = new nn.Sequential(new nn.Flatten(), new ArrayBlock(), new nn.Sequential(new nn.Sigmoid(), new nn.Linear(1, 2)));
    expect(shapes(net.namedParameters())).toEqual(fixture.nested.namedParameters);
    expect(net.namedModules().map(([k]) => k)).toEqual(fixture.nested.namedModules.map(([k]) => k).filter((k) => k !== "1.layers"));
  });

  it("ignores plain tensors and other values in fields, and lists a shared parameter once", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = new nn.Linear(2, 2);
      notAParameter = t([1, 2], [2]);
      label = "tied";
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
    }
    const m = new Tied();
    expect(m.namedParameters().map(([k]) => k)).toEqual(["a.weight", "a.bias", "b.bias"]);
    expect(Object.keys(m.stateDict())).toEqual(["a.weight", "a.bias", "b.weight", "b.bias"]);
  });

  it("prints as PyTorch does", () => {
    expect(mlp().toString()).toBe(fixture.reprs.mlp);
    expect(nested().toString()).toBe(fixture.reprs.nested);
    expect(new nn.Linear(3, 2, { bias: false }).toString()).toBe(fixture.reprs.linearNoBias);
    expect(new nn.LeakyReLU(0.2).toString()).toBe(fixture.reprs.leakyRelu);
    expect(new nn.ELU().toString()).toBe(fixture.reprs.elu);
    expect(new nn.GELU({ approximate: "tanh" }).toString()).toBe(fixture.reprs.gelu);
    expect(new nn.Softplus().toString()).toBe(fixture.reprs.softplus);
    expect(new nn.Hardtanh().toString()).toBe(fixture.reprs.hardtanh);
    expect(new nn.PReLU(3).toString()).toBe(fixture.reprs.prelu);
    expect(new nn.Softmax(1).toString()).toBe(fixture.reprs.softmax);
    expect(new nn.Identity().toString()).toBe(fixture.reprs.identity);
    expect(new nn.CrossEntropyLoss().toString()).toBe(fixture.reprs.crossEntropy);
  });
});

describe("Sequential and ModuleList", () => {
  it("index, iterate and count their modules, typed per position", () => {
    const net = new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3));
    expect(net.length).toBe(3);
    expect(net[0]).toBeInstanceOf(nn.Linear);
    expect(net[0].weight.shape).toEqual([5, 4]); // net[0] is typed as Linear
    expect([...net].map((m) => m.constructor.name)).toEqual(["Linear", "ReLU", "Linear"]);
    expect(net).toBeInstanceOf(nn.Sequential);
    const list = new nn.ModuleList([new nn.ReLU()]).append(new nn.Linear(2, 2));
    expect(list.length).toBe(2);
    expect(list.namedParameters().map(([k]) => k)).toEqual(["1.weight", "1.bias"]);
  });

  it("can be subclassed, as class MySequential extends nn.Sequential", () => {
    class TwoLayer extends nn.Sequential {
      constructor() {
        super(new nn.Linear(2, 3), new nn.ReLU());
      }
    }
    const net: nn.Sequential = new TwoLayer();
    expect(net).toBeInstanceOf(nn.Sequential);
    expect(net[0]).toBeInstanceOf(nn.Linear);
    expect(net.forward(t([1, -1], [1, 2])).shape).toEqual([1, 3]);
    expect(net.toString()).toBe("TwoLayer(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)");
  });

  it("reject things that are not modules", () => {
    expect(() => new nn.Sequential(new nn.ReLU(), (() => 1) as unknown as nn.Module)).toThrow(/Sequential: argument 1 is not a Module \(function\)/);
  });
});

describe("Module behaviour", () => {
  it("train()/eval() propagate to every sub-module", () => {
    const net = nested();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.train(false);
    expect(net.modules().some((m) => m.training)).toBe(false);
  });

  it("a module without forward says how to fix it", () => {
    class Empty extends nn.Module {}
    expect(() => new Empty().forward(t([1], [1]))).toThrow(/Empty.forward is not implemented: define forward\(x: torch.Tensor\)/);
  });

  it("apply visits children before their parent and zeroGrad clears every grad to null", () => {
    const order: string[] = [];
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU()));
    net.apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(["Linear", "ReLU", "Sequential", "Sequential"]);
    for (const p of net.parameters()) p.grad = t(new Array<number>(p.numel()).fill(1), p.shape);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("Parameter requires grad by default, shares the wrapped storage and is a leaf", () => {
    const data = t([1, 2, 3], [3]);
    const p = new nn.Parameter(data);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    // shares the wrapped storage: an in-place write through the parameter shows in the wrapped tensor
    p.data.fill_(7);
    expect(data.tolist()).toEqual([7, 7, 7]);
    expect(new nn.Parameter(data, false).requiresGrad).toBe(false);
    expect(p.toString()).toMatch(/^Parameter containing:\ntensor\(/);
  });

  it("to('float64') converts the parameters in place of the old ones", () => {
    const net = new nn.Sequential(new nn.Linear(2, 3));
    const before = net[0].weight.tolist();
    net.double();
    expect(net.parameters().every((p) => p.dtype === "float64" && p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
    expect(net[0].weight.tolist()).toEqual(before);
    net.to("cpu");
    expect(net[0].weight.dtype).toBe("float64");
    expect(() => net.to("int32")).toThrow(/Sequential.to: modules only convert to floating dtypes \(float32, float64\), got int32/);
  });
});

describe("stateDict / loadStateDict", () => {
  it("round-trips values between two models", () => {
    const a = new Block(), b = new Block();
    const sd = a.stateDict();
    expect(sd["fc1.weight"].requiresGrad).toBe(false);
    b.loadStateDict(sd);
    for (const [k, p] of b.namedParameters()) expect(p.tolist(), k).toEqual(sd[k].tolist());
    expect(b.fc1.weight.requiresGrad).toBe(true);
    expect(b.fc1.weight.dataSync()).not.toBe(sd["fc1.weight"].dataSync()); // copied, not aliased
  });

  it("names missing and unexpected keys, and shape mismatches", () => {
    const net = new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3));
    const sd = net.stateDict();
    const missing = { ...sd };
    delete missing["2.bias"];
    expect(() => net.loadStateDict(missing)).toThrow(/loadStateDict: error\(s\) in loading the state dict for Sequential:\n  missing key\(s\) in state dict: "2.bias"/);
    expect(() => net.loadStateDict({ ...sd, "3.weight": sd["2.weight"] })).toThrow(/unexpected key\(s\) in state dict: "3.weight"/);
    const wrong = { ...sd, "0.weight": t(new Array<number>(12).fill(0), [3, 4]) };
    expect(() => net.loadStateDict(wrong)).toThrow(/size mismatch for 0.weight: copying a param with shape \[3,4\] from the state dict, the shape in the current model is \[5,4\]/);
    expect(() => net.loadStateDict(wrong, false)).toThrow(/size mismatch for 0.weight/);
    const loose = net.loadStateDict({ ...missing, extra: sd["2.bias"] }, false);
    expect(loose).toEqual({ missingKeys: ["2.bias"], unexpectedKeys: ["extra"] });
  });

  it("accepts a Map and converts dtypes while copying", () => {
    const net = new nn.Linear(2, 1);
    net.loadStateDict(new Map([["weight", Tensor.fromTypedArray(new Float64Array([0.5, -1]), [1, 2])], ["bias", t([2], [1])]]));
    expect(net.weight.dtype).toBe("float32");
    expect(net.weight.tolist()).toEqual([[0.5, -1]]);
    expect(net.bias!.tolist()).toEqual([2]);
  });
});
