import type { AdamStepArgs, Backend, BroadcastPlan, ElementwiseKernel, SgdStepArgs, Storage } from "../backends/backend";
import { kernel } from "../ops/defs/index";
import type { DType } from "../tensor/dtype";

/**
 * SGD and Adam/AdamW steps composed from a backend's elementwise primitives, for a backend without the fused
 * `sgdStep`/`adamStep`. Each intermediate that the fused float32 loops round (backends/cpu/optim.ts) is stored
 * in a storage of the parameter's dtype here, so float32 rounds at the same points (float64 rounds nowhere).
 */
const K = {
  scale: kernel("stepScale", ["x"], "p0 * x"),
  divBy: kernel("stepDivBy", ["x"], "x / p0"),
  plus: kernel("stepPlus", ["x"], "x + p0"),
  sqrt: kernel("stepSqrt", ["x"], "sqrt(x)"),
  axpby: kernel("stepAxpby", ["a", "b"], "p0 * a + p1 * b"),
  minusScaled: kernel("stepMinusScaled", ["a", "b"], "a - p0 * b"),
  mul: kernel("stepMul", ["a", "b"], "a * b"),
  div: kernel("stepDiv", ["a", "b"], "a / b"),
  add: kernel("stepAdd", ["a", "b"], "a + b"),
  sub: kernel("stepSub", ["a", "b"], "a - b"),
  larger: kernel("stepLarger", ["a", "b"], "(a > b ? a : b)"),
};

/** Elementwise helpers over same-length storages of one dtype; temporaries are freed by `done`. */
class Steps {
  private readonly plan: BroadcastPlan;
  private readonly temps: Storage[] = [];
  constructor(private readonly be: Backend, private readonly dtype: DType, private readonly n: number) {
    this.plan = { shape: [n], strides: [[1], [1]] };
  }
  /** float32 hyper-parameters are rounded as the fused float32 loops round them */
  r(v: number): number {
    return this.dtype === "float32" ? Math.fround(v) : v;
  }
  temp(): Storage {
    const s = this.be.alloc(this.dtype, this.n);
    this.temps.push(s);
    return s;
  }
  unary(k: ElementwiseKernel, x: Storage, p0: number, out: Storage = this.temp()): Storage {
    this.be.unary(k, x, out, p0);
    return out;
  }
  binary(k: ElementwiseKernel, a: Storage, b: Storage, p0 = 0, p1 = 0, out: Storage = this.temp()): Storage {
    this.be.binary(k, a, b, out, this.plan, p0, p1);
    return out;
  }
  copy(x: Storage, out: Storage): void {
    this.be.copy(x, 0, out, 0, this.n);
  }
  done(): void {
    for (const t of this.temps) this.be.free(t);
  }
}

export function composedSgdStep(be: Backend, dtype: DType, n: number, param: Storage, grad: Storage, buf: Storage | null, a: SgdStepArgs): void {
  const s = new Steps(be, dtype, n);
  const lr = s.r(a.lr), wd = s.r(a.weightDecay), mom = s.r(a.momentum), keep = s.r(a.keep);
  let d = wd !== 0 ? s.binary(K.axpby, grad, param, a.sign, wd) : a.sign !== 1 ? s.unary(K.scale, grad, a.sign) : grad;
  if (buf !== null) {
    if (a.first) s.copy(d, buf);
    else s.binary(K.axpby, s.unary(K.scale, buf, mom), d, 1, keep, buf);
    d = a.nesterov ? s.binary(K.axpby, d, buf, 1, mom) : buf;
  }
  s.binary(K.minusScaled, param, d, lr, 0, param);
  s.done();
}

export function composedAdamStep(
  be: Backend, dtype: DType, n: number, param: Storage, grad: Storage, m: Storage, v: Storage, vmax: Storage | null, a: AdamStepArgs,
): void {
  const s = new Steps(be, dtype, n);
  const b1 = s.r(a.beta1), b2 = s.r(a.beta2), c1 = s.r(1 - a.beta1), c2 = s.r(1 - a.beta2);
  const stepSize = s.r(a.stepSize), bc2Sqrt = s.r(a.bc2Sqrt), eps = s.r(a.eps), wd = s.r(a.weightDecay), shrink = s.r(a.shrink);
  if (shrink !== 1) s.unary(K.scale, param, shrink, param);
  const g = wd !== 0 ? s.binary(K.axpby, grad, param, a.sign, wd) : a.sign !== 1 ? s.unary(K.scale, grad, a.sign) : grad;
  s.binary(K.axpby, s.unary(K.scale, m, b1), g, 1, c1, m);
  // v = r(v·b2) + r(r(c2·g)·g)
  s.binary(K.add, s.unary(K.scale, v, b2), s.binary(K.mul, s.unary(K.scale, g, c2), g), 0, 0, v);
  let second = v;
  if (vmax !== null) {
    s.binary(K.larger, vmax, v, 0, 0, vmax);
    second = vmax;
  }
  const denom = s.unary(K.plus, s.unary(K.divBy, s.unary(K.sqrt, second, 0), bc2Sqrt), eps);
  s.binary(K.sub, param, s.binary(K.div, s.unary(K.scale, m, stepSize), denom), 0, 0, param);
  s.done();
}
