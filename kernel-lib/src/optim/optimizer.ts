import type { TypedArray } from "../tensor/dtype";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/** A group of parameters sharing hyper-parameters; change e.g. `opt.paramGroups[0].lr` to schedule. */
export type ParamGroup<H> = H & { params: Tensor[] };

/** What an optimizer takes: parameters, or groups of them each with optional hyper-parameter overrides. */
export type ParamsArg<H> = Iterable<Tensor> | (Partial<H> & { params: Iterable<Tensor> })[];

/**
 * torch.optim.Optimizer. Subclasses implement `updateGroup`, which changes each parameter in place with one
 * fused pass over its typed arrays (no autograd, no per-element allocation).
 */
export abstract class Optimizer<H extends object, S = unknown> {
  readonly paramGroups: ParamGroup<H>[] = [];
  readonly defaults: H;
  /** Per-parameter state (momentum buffers, moment estimates). */
  readonly state = new Map<Tensor, S>();
  private readonly name: string;

  protected constructor(name: string, params: ParamsArg<H>, defaults: H) {
    this.name = name;
    this.defaults = defaults;
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list; pass model.parameters() or [w, b]`);
    const isGroups = list.every((g) => !(g instanceof Tensor) && typeof g === "object" && g !== null && "params" in g);
    if (isGroups) for (const g of list as (Partial<H> & { params: Iterable<Tensor> })[]) this.addParamGroup(g);
    else this.addParamGroup({ params: list as Tensor[] } as unknown as Partial<H> & { params: Iterable<Tensor> });
  }

  addParamGroup(group: Partial<H> & { params: Iterable<Tensor> }): void {
    const params = [...group.params];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`${this.name}: parameter ${i} is not a Tensor (${typeof p})`);
      if (!p.isLeaf) throw new Error(`${this.name}: can't optimize a non-leaf Tensor (parameter ${i}, made by ${p.gradFn?.name}); pass leaves such as model.parameters()`);
      if (p.dtype !== "float32" && p.dtype !== "float64") throw new Error(`${this.name}: parameter ${i} has dtype ${p.dtype}; only float32/float64 parameters can be optimized`);
    });
    for (const existing of this.paramGroups) {
      if (params.some((p) => existing.params.includes(p))) throw new Error(`${this.name}: some parameters appear in more than one parameter group`);
    }
    const merged = { ...this.defaults, ...group, params } as ParamGroup<H>;
    this.validate(merged);
    this.paramGroups.push(merged);
  }

  /** Checks a group's hyper-parameters; throws naming the bad value. */
  protected abstract validate(group: ParamGroup<H>): void;

  /** Updates every parameter of the group that has a gradient. */
  protected abstract updateGroup(group: ParamGroup<H>): void;

  /** One optimization step. With a closure, re-evaluates the loss first and returns it. */
  step<T = void>(closure?: () => T): T | undefined {
    const loss = closure ? closure() : undefined;
    for (const group of this.paramGroups) this.updateGroup(group);
    return loss;
  }

  /** Forgets all gradients: sets each parameter's grad to null (PyTorch's set_to_none default). */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else if (p.grad) p.grad.detach().zero_();
      }
    }
  }

  /** The storage to update and the gradient to read for `p`, or null when p has no gradient yet. */
  protected arrays(p: Tensor): { param: TypedArray; grad: TypedArray } | null {
    const g = p.grad;
    if (g === null) return null;
    if (p.device !== "cpu") throw new Error(`${this.name}.step: parameters on ${p.device} are not supported yet; move the model to "cpu"`);
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i]) || g.dtype !== p.dtype) {
      throw new Error(
        `${this.name}.step: a parameter ${p.dtype} ${formatShape(p.shape)} has a gradient ${g.dtype} ${formatShape(g.shape)}; they must match`,
      );
    }
    p._version.v++; // the in-place change below must invalidate graphs that saved p
    return { param: p.dataSync(), grad: g.dataSync() };
  }
}

export function checkNonNegative(op: string, name: string, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0)) throw new Error(`${op}: invalid ${name}: ${String(value)} (must be a number >= 0)`);
}
