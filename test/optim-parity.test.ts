import { describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { Parameter } from "../kernel-lib/src/nn/parameter";
import * as optim from "../kernel-lib/src/optim/index";
import * as nn from "../kernel-lib/src/nn/index";
import fixture from "./fixtures/optim-mlp.json";

/**
 * Parity with PyTorch (tools/fixtures/gen_optim.py): feeding PyTorch's own gradients, our parameters after each
 * step must equal PyTorch's to float32 rounding. Both sides round every intermediate to float32 in the same order,
 * so SGD comes out bit for bit. Adam's divisions and square roots (PyTorch may multiply by a reciprocal where we
 * divide) leave a few elements some ulps apart (at most 6e-8 absolute over 5 steps when this was written); a bound
 * of 1e-7 + 1e-6·|p| keeps a margin while still catching any wrong rule (a wrong bias correction or eps placement
 * moves parameters by 1e-4 or more at these learning rates).
 */
const TOLERANCE: Record<string, [number, number]> = { SGD: [0, 0], Adam: [1e-7, 1e-6], AdamW: [1e-7, 1e-6] };

type Options = Record<string, unknown>;
type Shapes = Record<string, number[]>;
const shapes = fixture.shapes as Shapes;
const names = Object.keys(shapes);

function makeParams(): Record<string, Parameter> {
  const initial = fixture.initial as Record<string, number[]>;
  return Object.fromEntries(names.map((k) => [k, new Parameter(Tensor.fromTypedArray(Float32Array.from(initial[k]), shapes[k]))]));
}

function makeOptimizer(kind: string, params: Tensor[], options: Options): optim.Optimizer<object> {
  switch (kind) {
    case "SGD":
      return new optim.SGD(params, options);
    case "Adam":
      return new optim.Adam(params, options);
    case "AdamW":
      return new optim.AdamW(params, options);
  }
  throw new Error(`unknown optimizer ${kind}`);
}

function maxViolation(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    worst = Math.max(worst, excess);
  }
  return worst;
}

describe("optimizers match PyTorch step for step (given PyTorch's gradients)", () => {
  for (const run of fixture.runs) {
    it(`${run.name}: ${run.optimizer}(${JSON.stringify(run.options)})`, () => {
      const params = makeParams();
      const opt = makeOptimizer(run.optimizer, names.map((k) => params[k]), run.options as Options);
      const [atol, rtol] = TOLERANCE[run.optimizer];
      run.steps.forEach((step, s) => {
        opt.zeroGrad();
        const grads = step.grads as Record<string, number[]>;
        for (const k of names) params[k].grad = Tensor.fromTypedArray(Float32Array.from(grads[k]), shapes[k]);
        opt.step();
        const expected = step.params as Record<string, number[]>;
        for (const k of names) {
          expect(maxViolation(params[k].dataSync(), expected[k], atol, rtol), `step ${s + 1} ${k}`).toBe(0);
        }
      });
    });
  }
});

/**
 * The whole training step in kernel-lib (nn.Sequential forward, crossEntropy, backward, step) against PyTorch.
 * Our forward/backward sums in a different order than PyTorch's BLAS, so losses and gradients agree to a few
 * float32 ulps rather than bit for bit (measured: loss within 2.4e-7, gradients 6e-8, parameters 6e-8 over 5 steps);
 * the bounds below leave a margin of about 5x and stay far below the effect of any wrong rule.
 */
describe("training steps match PyTorch end to end (Sequential + crossEntropy + backward + step)", () => {
  const X = Tensor.fromTypedArray(Float32Array.from(fixture.X.data), fixture.X.shape);
  const y = Tensor.fromTypedArray(Int32Array.from(fixture.y), [fixture.y.length]);
  for (const run of fixture.runs) {
    it(run.name, () => {
      const net = new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3));
      const initial = fixture.initial as Record<string, number[]>;
      net.loadStateDict(Object.fromEntries(names.map((k) => [k, Tensor.fromTypedArray(Float32Array.from(initial[k]), shapes[k])])));
      const opt = makeOptimizer(run.optimizer, net.parameters(), run.options as Options);
      const named = Object.fromEntries(net.namedParameters());
      run.steps.forEach((step, s) => {
        opt.zeroGrad();
        const loss = nn.functional.crossEntropy(net.forward(X), y);
        expect(Math.abs(loss.item() - step.loss), `step ${s + 1} loss`).toBeLessThanOrEqual(1e-6 * Math.abs(step.loss));
        loss.backward();
        const grads = step.grads as Record<string, number[]>;
        for (const k of names) expect(maxViolation(named[k].grad!.dataSync(), grads[k], 3e-7, 1e-6), `step ${s + 1} grad ${k}`).toBe(0);
        opt.step();
        const expected = step.params as Record<string, number[]>;
        for (const k of names) expect(maxViolation(named[k].dataSync(), expected[k], 3e-7, 1e-6), `step ${s + 1} ${k}`).toBe(0);
      });
    });
  }
});
