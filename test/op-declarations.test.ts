import { describe, expect, it } from "vitest";
import { cpuHostBackend } from "../kernel-lib/src/backends/cpu/index";
import { UNARY_DEFS } from "../kernel-lib/src/ops/defs/index";
import type { UnaryDef } from "../kernel-lib/src/ops/defs/index";

/**
 * Every declared unary function (ops/defs): its derivative kernel agrees with a central difference of its
 * forward kernel, so a new declaration is checked as soon as it is added to the table. Points stay away from
 * the kinks (0 and the parameters' bounds), where one-sided derivatives differ.
 */
const PARAMS: Record<string, [number, number]> = {
  leakyRelu: [0.01, 0], elu: [1.3, 0], softplus: [1.5, 20], hardtanh: [-1, 1], clamp: [-0.75, 0.75],
};
const POINTS = [-3.1, -1.7, -0.9, -0.6, -0.3, 0.2, 0.45, 0.8, 1.2, 2.6];
/** functions defined on x > 0 only */
const POSITIVE = new Set(["sqrt"]);

function forward(def: UnaryDef, x: Float64Array, p: [number, number]): Float64Array {
  const out = new Float64Array(x.length);
  cpuHostBackend.unary(def.forwardKernel, x, out, p[0], p[1]);
  return out;
}

describe("op declarations", () => {
  for (const [name, def] of Object.entries(UNARY_DEFS)) {
    it(`${name}: the declared derivative matches the forward's central difference`, () => {
      const p = PARAMS[name] ?? [0, 0];
      const x = Float64Array.from(POINTS, (v) => (POSITIVE.has(name) ? Math.abs(v) : v));
      const h = 1e-6;
      const up = forward(def, x.map((v) => v + h), p);
      const down = forward(def, x.map((v) => v - h), p);
      const y = forward(def, x, p);
      const g = Float64Array.from(POINTS, (_v, i) => 0.5 + 0.1 * i);
      const grad = new Float64Array(x.length);
      const saved = def.gradOf === "input" ? x : y;
      cpuHostBackend.binary(def.gradKernel, g, saved, grad, { shape: [x.length], strides: [[1], [1]] }, p[0], p[1]);
      for (let i = 0; i < x.length; i++) {
        const numeric = (g[i] * (up[i] - down[i])) / (2 * h);
        expect(Math.abs(grad[i] - numeric), `${name} at ${x[i]}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    });
  }

  it("a kernel naming something outside the expression language fails when compiled, naming it", () => {
    const bad = { name: "typo", args: ["x"], expr: "exq(x)" };
    expect(() => cpuHostBackend.unary(bad, new Float64Array(1), new Float64Array(1))).toThrow(/typo.*"exq"/);
  });
});
