import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import * as nn from "../kernel-lib/src/nn/index";
import * as optim from "../kernel-lib/src/optim/index";
import { manualSeed, randn } from "../kernel-lib/src/tensor/creation";
import { pooledBytes } from "../kernel-lib/src/backends/cpu/pool";

// zeroGrad() hands a dropped gradient's storage back to the CPU backend when nothing outside the library can hold it
// (tensor/autograd.ts dropGrad, backends/cpu/pool.ts); the next backward writes the same-sized gradient into it.

/** A 784-64-10 model (the first weight gradient, 64x784, is large enough to be kept) and a fixed batch. */
function setup(seed: number) {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 10));
  const x = randn([8, 784]);
  const y = Tensor.fromTypedArray(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [8]);
  return { model, x, y, w: model.parameters()[0] };
}

/** Index of the first element that differs, -1 when none (keeps a failure's message short). */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function trainStep(model: nn.Sequential, opt: optim.SGD, x: Tensor, y: Tensor): number {
  const loss = nn.functional.crossEntropy(model.forward(x), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  return loss.item();
}

describe("gradient storage reuse", () => {
  it("a training loop that never reads .grad reuses the weight gradient's storage, with the same results", () => {
    const a = setup(1), b = setup(1);
    const optA = new optim.SGD(a.model.parameters(), { lr: 0.1 }), optB = new optim.SGD(b.model.parameters(), { lr: 0.1 });
    const storages = new Set<unknown>();
    const lossesA: number[] = [], lossesB: number[] = [];
    for (let i = 0; i < 6; i++) {
      lossesA.push(trainStep(a.model, optA, a.x, a.y));
      storages.add(a.w._gradValue!._data);
      lossesB.push(trainStep(b.model, optB, b.x, b.y));
      void b.w.grad; // reading the gradient exposes it: b's gradients are never reused
    }
    expect(storages.size).toBeLessThanOrEqual(2); // the first step's array, then the same one every step
    expect(lossesA).toEqual(lossesB);
    expect(firstDiff(a.w.dataSync(), b.w.dataSync())).toBe(-1);
  });

  it("a gradient the student holds keeps its values after zeroGrad and the next backward", () => {
    const { model, x, y, w } = setup(2);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    trainStep(model, opt, x, y);
    const held = w.grad!;
    const before = Array.from(held.dataSync());
    for (let i = 0; i < 3; i++) trainStep(model, opt, x, y);
    expect(firstDiff(held.dataSync(), before)).toBe(-1);
    expect(w.grad === held).toBe(false);
  });

  it("a view or alias taken of the gradient, or a gradient the student assigned, is never handed out again", () => {
    const { model, x, y, w } = setup(3);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    trainStep(model, opt, x, y);
    const flat = w.grad!.view([-1]);
    const before = Array.from(flat.dataSync());
    trainStep(model, opt, x, y);
    expect(firstDiff(flat.dataSync(), before)).toBe(-1);

    const mine = Tensor.fromTypedArray(new Float32Array(w.numel()).fill(0.5), w.shape);
    w.grad = mine;
    opt.zeroGrad();
    expect(w.grad).toBeNull();
    trainStep(model, opt, x, y);
    expect(Array.from(mine.dataSync()).every((v) => v === 0.5)).toBe(true);
  });

  it("module.zeroGrad() reuses too, and what is kept for reuse stays bounded over many steps", () => {
    const { model, x, y } = setup(4);
    const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      const loss = nn.functional.crossEntropy(model.forward(x), y);
      model.zeroGrad();
      loss.backward();
      opt.step();
      peak = Math.max(peak, pooledBytes());
    }
    model.zeroGrad();
    // one 64x784 float32 gradient is kept between steps (the others are too small to keep)
    expect(peak).toBeLessThanOrEqual(64 * 784 * 4 * 4);
    expect(pooledBytes()).toBeGreaterThanOrEqual(64 * 784 * 4);
  });
});
