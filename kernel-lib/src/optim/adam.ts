import type { AdamStepArgs, Backend, Storage } from "../backends/backend";
import { holdStorage } from "../tensor/lifetime";
import type { DType } from "../tensor/dtype";
import { composedAdamStep } from "./composed-steps";
import { Optimizer, ParamGroup, ParamState, ParamsArg, checkNonNegative } from "./optimizer";

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

type AdamHyper = Required<AdamOptions>;

type AdamState = {
  step: number;
  expAvg: Storage;
  expAvgSq: Storage;
  maxExpAvgSq: Storage | null;
};

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

  protected override completeState(s: ParamState): ParamState {
    return { maxExpAvgSq: null, ...s };
  }

  protected updateGroup(group: ParamGroup<AdamHyper>): void {
    for (const p of group.params) {
      const a = this.arrays(p);
      if (!a) continue;
      let s = this.state.get(p);
      const n = p.numel();
      if (!s) {
        s = { step: 0, expAvg: zeros(a.backend, p.dtype, n), expAvgSq: zeros(a.backend, p.dtype, n), maxExpAvgSq: group.amsgrad ? zeros(a.backend, p.dtype, n) : null };
        this.state.set(p, s);
        holdStorage(s, s.expAvg, a.backend);
        holdStorage(s, s.expAvgSq, a.backend);
        if (s.maxExpAvgSq !== null) holdStorage(s, s.maxExpAvgSq, a.backend);
      } else if (group.amsgrad && s.maxExpAvgSq === null) {
        s.maxExpAvgSq = zeros(a.backend, p.dtype, n);
        holdStorage(s, s.maxExpAvgSq, a.backend);
      }
      s.step += 1;
      const [beta1, beta2] = group.betas;
      const args: AdamStepArgs = {
        beta1, beta2,
        stepSize: group.lr / (1 - beta1 ** s.step),
        bc2Sqrt: Math.sqrt(1 - beta2 ** s.step),
        eps: group.eps,
        weightDecay: this.decoupled ? 0 : group.weightDecay,
        shrink: this.decoupled ? 1 - group.lr * group.weightDecay : 1,
        sign: group.maximize ? -1 : 1,
      };
      const [m, v, vmax] = [s.expAvg as Storage, s.expAvgSq as Storage, s.maxExpAvgSq as Storage | null];
      if (a.backend.adamStep) a.backend.adamStep(a.param, a.grad, m, v, vmax, args);
      else composedAdamStep(a.backend, p.dtype, n, a.param, a.grad, m, v, vmax, args);
    }
  }
}

/** Zero-filled optimizer state: long-lived storage (in wasm memory on the wasm path, see Backend.allocLongLived). */
function zeros(backend: Backend, dtype: DType, n: number): Storage {
  const s = backend.allocLongLived ? backend.allocLongLived(dtype, n) : backend.alloc(dtype, n);
  backend.fill(s, 0);
  return s;
}

/** torch.optim.Adam (Kingma and Ba) with PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, L2 weightDecay 0. */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  /** `new Adam(params, { lr: 1e-3 })`, or positionally as PyTorch's `Adam(params, 1e-3, [0.9, 0.999], 1e-8, 0)`. */
  constructor(params: ParamsArg<AdamHyper>, lr?: number, betas?: [number, number], eps?: number, weightDecay?: number);
  constructor(params: ParamsArg<AdamHyper>, options?: AdamOptions);
  constructor(params: ParamsArg<AdamHyper>, options: AdamOptions | number = {}, ...rest: unknown[]) {
    super("Adam", params, defaults(positional(options, rest), 0));
  }
}

/** torch.optim.AdamW (Loshchilov and Hutter): decoupled weight decay, default 1e-2. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsArg<AdamHyper>, lr?: number, betas?: [number, number], eps?: number, weightDecay?: number);
  constructor(params: ParamsArg<AdamHyper>, options?: AdamOptions);
  constructor(params: ParamsArg<AdamHyper>, options: AdamOptions | number = {}, ...rest: unknown[]) {
    super("AdamW", params, defaults(positional(options, rest), 1e-2));
  }
}

/** PyTorch's positional (lr, betas, eps, weight_decay) as options; undefined ones take the defaults. */
function positional(options: AdamOptions | number, rest: unknown[]): AdamOptions {
  if (typeof options !== "number") return options;
  const [betas, eps, weightDecay] = rest as [[number, number]?, number?, number?];
  return { lr: options, betas, eps, weightDecay };
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
