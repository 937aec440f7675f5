// The WebGPU device as a student uses it (torch.device("webgpu"), x.to(device), model.to(device), optimizers on GPU
// parameters), checked against the CPU: every result within float32 tolerance, whole training steps included, and
// no buffer growth over many steps. On a machine without a GPU it runs on SwiftShader (test/helpers/webgpu.ts);
// without any adapter it is skipped, except under REQUIRE_WEBGPU=1 (CI) or KERNEL_LIB_WEBGPU=require, where that fails.
import { describe, expect, it } from "vitest";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { torch } from "../kernel-lib/src/index";
import type { Tensor } from "../kernel-lib/src/tensor/tensor";
import { webgpuBackend } from "../kernel-lib/src/backends/webgpu/index";
import { testWebgpuBackend, webgpuRequired } from "./helpers/webgpu";

const gpu = testWebgpuBackend();
const { nn, optim } = torch;
const F = torch.nn.functional;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function expectNear(gpuValue: Tensor, cpuValue: Tensor, what: string, rel = 2e-5, abs = 1e-6): void {
  expect(gpuValue.device, what).toBe("webgpu");
  expect(gpuValue.shape, what).toEqual(cpuValue.shape);
  const g = Array.from(gpuValue.dataSync(), Number), c = Array.from(cpuValue.dataSync(), Number);
  for (let i = 0; i < c.length; i++) {
    if (Number.isNaN(c[i])) expect(g[i], `${what}[${i}]`).toBeNaN();
    else expect(Math.abs(g[i] - c[i]), `${what}[${i}]: ${g[i]} vs ${c[i]}`).toBeLessThanOrEqual(abs + rel * Math.abs(c[i]));
  }
}

function mlp(seed: number, dropout = 0): InstanceType<typeof nn.Sequential> {
  torch.manualSeed(seed);
  const layers: InstanceType<typeof nn.Module>[] = [new nn.Linear(20, 32), new nn.ReLU()];
  if (dropout > 0) layers.push(new nn.Dropout(dropout));
  layers.push(new nn.Linear(32, 16), new nn.Tanh(), new nn.Linear(16, 5));
  return new nn.Sequential(...layers);
}

describe.skipIf(!gpu && !webgpuRequired())("the webgpu device", () => {
  it("is available, names its adapter, and says which device a tensor is on", () => {
    expect(torch.webgpu.isAvailable()).toBe(true);
    expect(torch.webgpu.adapterInfo()?.description).toBeTruthy();
    const device = torch.device(torch.webgpu.isAvailable() ? "webgpu" : "cpu");
    const x = torch.tensor([[1, 2], [3, 4]]).to(device);
    expect(x.device).toBe("webgpu");
    expect(x.item === undefined).toBe(false);
    expect(x.sum().item()).toBe(10);
    expect(x.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(x.to("cpu").device).toBe("cpu");
    expect(torch.zeros([2, 3], { device: "webgpu" }).device).toBe("webgpu");
    expect(String(torch.tensor([1.5, 2]).to("webgpu"))).toBe("tensor([1.5000, 2.0000], device='webgpu')");
  });

  it("reads back asynchronously too, and keeps dtypes", async () => {
    const labels = torch.tensor([3, 1, 2], { dtype: "int32" }).to("webgpu");
    expect(labels.dtype).toBe("int32");
    expect(Array.from(await labels.dataAsync())).toEqual([3, 1, 2]);
    const mask = torch.tensor([1, -2, 3]).to("webgpu").gt(0);
    expect(mask.dtype).toBe("bool");
    expect(mask.tolist()).toEqual([1, 0, 1]);
  });

  it("in-place and aliased kernels (an input is the output) keep what they do not write", () => {
    const be = gpu!;
    const s = be.upload(Float32Array.from([1, 2, 3, 4, 5, 6]));
    be.copy(s, 0, s, 3, 3);
    expect(Array.from(be.readSync(s))).toEqual([1, 2, 3, 1, 2, 3]);
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]).to("webgpu");
    x.mul_(x);
    expect(x.tolist()).toEqual([[1, 4, 9], [16, 25, 36]]);
    x.add_(torch.tensor([1, 2, 3]).to("webgpu"));
    expect(x.tolist()).toEqual([[2, 6, 12], [17, 27, 39]]);
  });

  it("refuses to mix devices and to hold float64, saying what to do", () => {
    const a = torch.ones([3]).to("webgpu");
    expect(() => a.add(torch.ones([3]))).toThrow(/different devices \(webgpu and cpu\).*\.to\(device\)/);
    expect(() => torch.ones([3], { dtype: "float64" }).to("webgpu")).toThrow(/float64.*GPU.*\.float\(\)/);
  });

  it("gives the CPU's results for the ops of the lectures, forward and backward", () => {
    torch.manualSeed(3);
    const x = torch.randn([7, 20]);
    const w = torch.randn([5, 20]);
    const b = torch.randn([5]);
    const y = torch.tensor([0, 4, 2, 2, 1, 3, 0], { dtype: "int32" });
    const run = (dev: "cpu" | "webgpu") => {
      const leaf = (t: Tensor) => t.to(dev).detach().requiresGrad_();
      const xd = leaf(x), wd = leaf(w), bd = leaf(b);
      const logits = F.linear(F.relu(xd), wd, bd);
      const loss = F.crossEntropy(logits, y.to(dev)).add(logits.sigmoid().mean()).add(F.mseLoss(logits.softmax(1), logits.tanh()));
      loss.backward();
      const [vals, idx] = torch.max(logits, 1);
      return { logits, loss, vals, idx, gx: xd.grad!, gw: wd.grad!, gb: bd.grad!, sum0: logits.sum(0), lsm: F.logSoftmax(logits, 1) };
    };
    const c = run("cpu"), g = run("webgpu");
    for (const k of Object.keys(c) as (keyof typeof c)[]) {
      if (k === "idx") expect(g.idx.tolist()).toEqual(c.idx.tolist());
      else expectNear(g[k], c[k], k);
    }
  });

  // Both matmul kernels on whatever adapter runs the tests (a GPU picks "tiled", a software adapter "registers").
  for (const style of ["tiled", "registers"] as const) {
    it(`large and thin products match the CPU in the ${style} matmul kernel (transposes, batches, linear's bias)`, () => {
      const backend = webgpuBackend()!;
      const before = backend.matmulStyle;
      backend.matmulStyle = style;
      try {
        torch.manualSeed(4);
        const a = torch.randn([3, 70, 130]), b = torch.randn([3, 130, 90]);
        expectNear(a.to("webgpu").matmul(b.to("webgpu")), a.matmul(b), "bmm", 1e-5, 2e-5);
        expectNear(a.to("webgpu").transpose(1, 2).matmul(a.to("webgpu")), a.transpose(1, 2).matmul(a), "AtA", 1e-5, 2e-5);
        const x = torch.randn([12, 37]), w = torch.randn([10, 37]), bias = torch.randn([10]);
        expectNear(F.linear(x.to("webgpu"), w.to("webgpu"), bias.to("webgpu")), F.linear(x, w, bias), "thin linear", 1e-5, 2e-5);
        const y = torch.randn([12, 9]);
        expectNear(x.to("webgpu").t().matmul(y.to("webgpu")), x.t().matmul(y), "thin AtB", 1e-5, 2e-5);
        const wide = torch.randn([67, 33]), tall = torch.randn([81, 33]);
        expectNear(wide.to("webgpu").matmul(tall.to("webgpu").t()), wide.matmul(tall.t()), "ABt", 1e-5, 2e-5);
      } finally {
        backend.matmulStyle = before;
      }
    });
  }

  for (const [name, make] of [
    ["SGD", (p: Tensor[]) => new optim.SGD(p, { lr: 0.1 })],
    ["SGD momentum nesterov wd", (p: Tensor[]) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
    ["Adam", (p: Tensor[]) => new optim.Adam(p, { lr: 1e-2 })],
    ["AdamW amsgrad", (p: Tensor[]) => new optim.AdamW(p, { lr: 1e-2, weightDecay: 0.05, amsgrad: true })],
  ] as const) {
    it(`trains as the CPU does: model.to(device) and ${name}, 10 steps`, () => {
      torch.manualSeed(5);
      const x = torch.randn([16, 20]);
      const y = torch.randint(0, 5, [16]);
      const cpuNet = mlp(6), gpuNet = mlp(6).to("webgpu");
      const cpuOpt = make(cpuNet.parameters()), gpuOpt = make(gpuNet.parameters());
      const xg = x.to("webgpu"), yg = y.to("webgpu");
      const losses: [number, number][] = [];
      for (let step = 0; step < 10; step++) {
        for (const [net, opt, xs, ys, at] of [[cpuNet, cpuOpt, x, y, 0], [gpuNet, gpuOpt, xg, yg, 1]] as const) {
          opt.zeroGrad();
          const loss = F.crossEntropy(net(xs), ys);
          loss.backward();
          opt.step();
          (losses[step] ??= [0, 0])[at] = loss.item();
        }
      }
      for (const [i, [c, g]] of losses.entries()) expect(Math.abs(g - c), `step ${i}: ${g} vs ${c}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(c)));
      expect(losses[9][1]).toBeLessThan(losses[0][1]);
      const cpuParams = cpuNet.parameters(), gpuParams = gpuNet.parameters();
      gpuParams.forEach((p, i) => expectNear(p, cpuParams[i], `parameter ${i}`, 1e-4, 1e-5));
    });
  }

  it("dropout on the GPU draws the generator's mask, and eval() turns it off", () => {
    const x = torch.ones([4, 50]);
    torch.manualSeed(9);
    const c = F.dropout(x, 0.3);
    torch.manualSeed(9);
    const g = F.dropout(x.to("webgpu"), 0.3);
    expectNear(g, c, "dropout");
    const net = mlp(1, 0.5).to("webgpu");
    net.eval();
    const input = torch.randn([3, 20]).to("webgpu");
    expectNear(net(input), net(input), "eval is deterministic");
  });

  it("frees buffers of collected tensors: memory does not grow over 200 training steps, and emptyCache releases the cache", async () => {
    torch.manualSeed(7);
    const net = mlp(8).to("webgpu");
    const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
    const x = torch.randn([16, 20]).to("webgpu"), y = torch.randint(0, 5, [16]).to("webgpu");
    const step = () => {
      opt.zeroGrad();
      const loss = F.crossEntropy(net(x), y);
      loss.backward();
      opt.step();
      return loss.item();
    };
    const settle = async () => {
      for (let i = 0; i < 10; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
      }
    };
    for (let i = 0; i < 20; i++) step();
    await settle();
    const after20 = torch.webgpu.memoryAllocated();
    for (let i = 0; i < 200; i++) step();
    await settle();
    const after220 = torch.webgpu.memoryAllocated();
    expect(after220).toBeLessThanOrEqual(after20);
    expect(torch.webgpu.memoryReserved()).toBeGreaterThanOrEqual(after220);
    torch.webgpu.emptyCache();
    expect(torch.webgpu.memoryReserved()).toBe(torch.webgpu.memoryAllocated());
    expect(Number.isFinite(step())).toBe(true);
    torch.webgpu.synchronize();
  });
});
