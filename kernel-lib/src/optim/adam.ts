import type { TypedArray } from "../tensor/dtype";
import { allocate } from "../tensor/dtype";
import { Optimizer, ParamGroup, ParamsArg, checkNonNegative, rounder } from "./optimizer";

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

type AdamHyper = Required<AdamOptions>;

interface AdamState {
  step: number;
  expAvg: TypedArray;
  expAvgSq: TypedArray;
  maxExpAvgSq: TypedArray | null;
}

/**
 * PyTorch's Adam update for one parameter, as one fused pass. `decoupled` is AdamW: p *= 1 - lr·wd first,
 * instead of adding wd·p to the gradient.
 */
function adamUpdate(param: TypedArray, grad: TypedArray, s: AdamState, h: AdamHyper, decoupled: boolean): void {
  const r = rounder(param);
  s.step += 1;
  const [beta1, beta2] = h.betas;
  const b1 = r(beta1), b2 = r(beta2), c1 = r(1 - beta1), c2 = r(1 - beta2);
  const stepSize = r(h.lr / (1 - beta1 ** s.step));
  const bc2Sqrt = r(Math.sqrt(1 - beta2 ** s.step));
  const eps = r(h.eps);
  const wd = decoupled ? 0 : r(h.weightDecay);
  const shrink = decoupled ? r(1 - h.lr * h.weightDecay) : 1;
  const sign = h.maximize ? -1 : 1;
  const { expAvg: m, expAvgSq: v, maxExpAvgSq: vmax } = s;
  for (let i = 0, n = param.length; i < n; i++) {
    let p = param[i];
    if (shrink !== 1) p = r(p * shrink);
    const g = wd !== 0 ? r(sign * grad[i] + wd * p) : sign * grad[i];
    const mi = r(r(m[i] * b1) + c1 * g);
    const vi = r(r(v[i] * b2) + r(r(c2 * g) * g));
    m[i] = mi;
    v[i] = vi;
    let second = vi;
    if (vmax) {
      second = vmax[i] > vi ? vmax[i] : vi;
      vmax[i] = second;
    }
    const denom = r(r(r(Math.sqrt(second)) / bc2Sqrt) + eps);
    param[i] = r(p - r(r(stepSize * mi) / denom));
  }
}

abstract class AdamBase extends Optimizer<AdamHyper, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected validate(g: ParamGroup<AdamHyper>): void {
    const op = this.constructor.name;
    checkNonNegative(op, "learning rate lr", g.lr);
    checkNonNegative(op, "eps", g.eps);
    checkNonNegative(op, "weightDecay", g.weightDecay);
    g.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new Error(`${op}: invalid beta parameter at index ${i}: ${b} (must be in [0, 1))`);
    });
  }

  protected updateGroup(group: ParamGroup<AdamHyper>): void {
    for (const p of group.params) {
      const a = this.arrays(p);
      if (!a) continue;
      let s = this.state.get(p);
      if (!s) {
        const n = a.param.length;
        s = { step: 0, expAvg: allocate(p.dtype, n), expAvgSq: allocate(p.dtype, n), maxExpAvgSq: group.amsgrad ? allocate(p.dtype, n) : null };
        this.state.set(p, s);
      }
      adamUpdate(a.param, a.grad, s, group, this.decoupled);
    }
  }
}

/** torch.optim.Adam (Kingma and Ba) with PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, L2 weightDecay 0. */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsArg<AdamHyper>, options: AdamOptions = {}) {
    super("Adam", params, defaults(options, 0));
  }
}

/** torch.optim.AdamW (Loshchilov and Hutter): decoupled weight decay, default 1e-2. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsArg<AdamHyper>, options: AdamOptions = {}) {
    super("AdamW", params, defaults(options, 1e-2));
  }
}

function defaults(o: AdamOptions, weightDecay: number): AdamHyper {
  return {
    lr: o.lr ?? 1e-3,
    betas: o.betas ?? [0.9, 0.999],
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? weightDecay,
    amsgrad: o.amsgrad ?? false,
    maximize: o.maximize ?? false,
  };
}
