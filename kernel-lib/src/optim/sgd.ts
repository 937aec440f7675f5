import type { TypedArray } from "../tensor/dtype";
import { allocate } from "../tensor/dtype";
import { Optimizer, ParamGroup, ParamsArg, checkNonNegative, rounder } from "./optimizer";

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  /** maximize the objective instead of minimizing it */
  maximize?: boolean;
}

type SGDHyper = Required<SGDOptions>;

/**
 * torch.optim.SGD with PyTorch's update: d = g + wd·p; buf = d (first step) or momentum·buf + (1-dampening)·d;
 * d = nesterov ? d + momentum·buf : buf; p -= lr·d.
 */
export class SGD extends Optimizer<SGDHyper, { momentumBuffer: TypedArray }> {
  constructor(params: ParamsArg<SGDHyper>, options: SGDOptions = {}) {
    super("SGD", params, {
      lr: options.lr ?? 1e-3,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected validate(g: ParamGroup<SGDHyper>): void {
    checkNonNegative("SGD", "learning rate lr", g.lr);
    checkNonNegative("SGD", "momentum", g.momentum);
    checkNonNegative("SGD", "weightDecay", g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new Error(`SGD: nesterov momentum requires a momentum > 0 and zero dampening (got momentum ${g.momentum}, dampening ${g.dampening})`);
    }
  }

  protected updateGroup(group: ParamGroup<SGDHyper>): void {
    for (const p of group.params) {
      const a = this.arrays(p);
      if (!a) continue;
      const { param, grad } = a;
      const r = rounder(param);
      const lr = r(group.lr), wd = r(group.weightDecay), mom = r(group.momentum), keep = r(1 - group.dampening);
      const sign = group.maximize ? -1 : 1;
      const n = param.length;
      if (group.momentum === 0) {
        for (let i = 0; i < n; i++) {
          const d = wd !== 0 ? r(sign * grad[i] + wd * param[i]) : sign * grad[i];
          param[i] = r(param[i] - lr * d);
        }
        continue;
      }
      let state = this.state.get(p);
      const first = state === undefined;
      if (!state) {
        state = { momentumBuffer: allocate(p.dtype, n) };
        this.state.set(p, state);
      }
      const buf = state.momentumBuffer;
      const nesterov = group.nesterov;
      for (let i = 0; i < n; i++) {
        let d = wd !== 0 ? r(sign * grad[i] + wd * param[i]) : sign * grad[i];
        const b = first ? d : r(r(buf[i] * mom) + keep * d);
        buf[i] = b;
        d = nesterov ? r(d + mom * b) : b;
        param[i] = r(param[i] - lr * d);
      }
    }
  }
}
