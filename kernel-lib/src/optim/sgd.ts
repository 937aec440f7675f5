import type { SgdStepArgs, Storage } from "../backends/backend";
import { holdStorage } from "../tensor/lifetime";
import { composedSgdStep } from "./composed-steps";
import { Optimizer, ParamGroup, ParamsArg, checkNonNegative } from "./optimizer";

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
export class SGD extends Optimizer<SGDHyper, { momentumBuffer: Storage }> {
  /** `new SGD(params, { lr: 0.01, momentum: 0.9 })`, or positionally as PyTorch's `SGD(params, 0.01, 0.9)`. */
  constructor(params: ParamsArg<SGDHyper>, lr?: number, momentum?: number, dampening?: number, weightDecay?: number, nesterov?: boolean);
  constructor(params: ParamsArg<SGDHyper>, options?: SGDOptions);
  constructor(params: ParamsArg<SGDHyper>, lrOrOptions: SGDOptions | number = {}, ...rest: (number | boolean | undefined)[]) {
    const options: SGDOptions = typeof lrOrOptions === "number"
      ? { lr: lrOrOptions, momentum: rest[0] as number, dampening: rest[1] as number, weightDecay: rest[2] as number, nesterov: rest[3] as boolean }
      : lrOrOptions;
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
      let buf: Storage | null = null;
      let first = false;
      if (group.momentum !== 0) {
        let state = this.state.get(p);
        first = state === undefined;
        if (!state) {
          state = { momentumBuffer: a.backend.alloc(p.dtype, p.numel()) };
          holdStorage(state, state.momentumBuffer, a.backend);
          this.state.set(p, state);
        }
        buf = state.momentumBuffer;
      }
      const args: SgdStepArgs = {
        lr: group.lr, weightDecay: group.weightDecay, momentum: group.momentum, keep: 1 - group.dampening,
        nesterov: group.nesterov, sign: group.maximize ? -1 : 1, first,
      };
      if (a.backend.sgdStep) a.backend.sgdStep(a.param, a.grad, buf, args);
      else composedSgdStep(a.backend, p.dtype, p.numel(), a.param, a.grad, buf, args);
    }
  }
}
