import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getBackend, registerBackend } from "../kernel-lib/src/backends/registry";
import type { Backend } from "../kernel-lib/src/backends/backend";
import { cpuBackend } from "../kernel-lib/src/backends/cpu/index";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import * as nn from "../kernel-lib/src/nn/index";
import * as optim from "../kernel-lib/src/optim/index";
import { crossEntropy } from "../kernel-lib/src/ops/loss";
import { arrayBackend, arrayMemory } from "./helpers/array-backend";

// Storage lifetimes on a backend that manages memory (the test-only array backend declares it and counts its
// allocations and frees). The collector is forced with gc(), exposed in this worker through V8's flag; the
// finalization callbacks run on later turns of the event loop, so each check waits for a condition, not a time.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !done(); i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return done();
}

/** Lets earlier tests' garbage be collected first, so that each test counts only its own storages. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

const outstanding = (): number => arrayMemory.allocated - arrayMemory.freed;
const values = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));

let previous: Backend;
beforeAll(() => {
  previous = getBackend("cpu");
  registerBackend(arrayBackend);
});
afterAll(() => registerBackend(previous));

describe("storage lifetimes on a memory-managing backend", () => {
  it("frees the storage of every tensor (inputs, results, gradients) once they are collected", async () => {
    await settle();
    const before = outstanding();
    (() => {
      const x = Tensor.fromTypedArray(values(64, (i) => i / 8), [8, 8]).requiresGrad_();
      const y = x.mul(2).add(1).relu().sum();
      y.backward();
      expect(x.grad!.tolist()).toHaveLength(8);
    })();
    expect(outstanding()).toBeGreaterThan(before);
    expect(await collectUntil(() => outstanding() === before)).toBe(true);
  });

  it("keeps a storage while a view of it lives, and frees it after the last view is collected", async () => {
    await settle();
    const before = outstanding();
    let view: Tensor | null = (() => Tensor.fromTypedArray(values(6, (i) => i), [2, 3]).reshape([3, 2]))();
    await collectUntil(() => false); // the base tensor is collected here; its storage must survive
    expect(view.tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
    view = null;
    expect(await collectUntil(() => outstanding() === before)).toBe(true);
  });

  it("dispose() frees at once, exactly once, and a disposed storage is not used again", async () => {
    const t = Tensor.fromTypedArray(values(4, (i) => i), [4]);
    const freed = arrayMemory.freed;
    t.dispose();
    expect(arrayMemory.freed).toBe(freed + 1);
    t.dispose(); // already released: no second free
    expect(arrayMemory.freed).toBe(freed + 1);
    expect(() => t.sum()).toThrow(/used after it was freed/);
  });

  it("frees optimizer state with the optimizer", async () => {
    const p = new nn.Parameter(Tensor.fromTypedArray(values(5, (i) => i), [5]));
    await settle();
    const before = outstanding();
    (() => {
      const sgd = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
      const adam = new optim.Adam([p], { lr: 0.1, amsgrad: true });
      for (const opt of [sgd, adam]) {
        p.grad = Tensor.fromTypedArray(values(5, () => 1), [5]);
        opt.step();
      }
    })();
    p.grad = null;
    expect(await collectUntil(() => outstanding() === before)).toBe(true);
    expect(p.tolist()).toHaveLength(5);
  });
});

describe("storage on the error paths", () => {
  it("an op that rejects its input part way (after allocating) leaves nothing allocated behind", async () => {
    await settle();
    const before = outstanding();
    const failures: string[] = [];
    (() => {
      const logits = Tensor.fromTypedArray(values(12, (i) => i / 4), [4, 3]).requiresGrad_();
      const badLabels = Tensor.fromTypedArray(Int32Array.from([0, 1, 7, 2]), [4]);
      const x = Tensor.fromTypedArray(values(6, (i) => i), [2, 3]);
      const badIndex = Tensor.fromTypedArray(Int32Array.from([0, 5]), [2]);
      const attempts: Array<() => unknown> = [
        () => crossEntropy(logits, badLabels), // label 7 of 3 classes
        () => x.indexSelect(1, badIndex), // index 5 of size 3
        () => x.matmul(x), // [2, 3] @ [2, 3]
        () => x.add(Tensor.fromTypedArray(values(4, (i) => i), [4])), // shapes do not broadcast
        () => x.view([4, 2]), // 6 elements as 8
      ];
      for (let round = 0; round < 20; round++) {
        for (const attempt of attempts) {
          try {
            attempt();
            failures.push(`${attempt} did not throw`);
          } catch {
            // expected: each attempt is bad input
          }
        }
      }
    })();
    expect(failures).toEqual([]);
    expect(await collectUntil(() => outstanding() === before)).toBe(true);
  });
});

describe("the CPU backend", () => {
  it("leaves storage to the garbage collector: it does not declare managed memory", () => {
    expect(cpuBackend.managesMemory ?? false).toBe(false);
  });
});
