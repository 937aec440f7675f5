import type { Backend, Storage } from "../backends/backend";
import { dropGrad } from "../tensor/autograd";
import { holdStorage } from "../tensor/lifetime";
import { getBackend } from "../backends/registry";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/** A group of parameters sharing hyper-parameters; change e.g. `opt.paramGroups[0].lr` to schedule. */
export type ParamGroup<H> = H & { params: Tensor[] };

/** What an optimizer takes: parameters, or groups of them each with optional hyper-parameter overrides. */
export type ParamsArg<H> = Iterable<Tensor> | (Partial<H> & { params: Iterable<Tensor> })[];

/** Per-parameter state: named arrays shaped like the parameter, and counters. */
export type ParamState = Record<string, Storage | number | null>;

/**
 * PyTorch's optimizer state_dict layout: state by parameter position (counting through the groups), and the
 * groups' hyper-parameters with `params` replaced by those positions.
 */
export type OptimizerStateDict = {
  state: Record<string, Record<string, Tensor | number>>;
  paramGroups: Record<string, HyperValue>[];
};

/** A hyper-parameter's value in a state dict (`params` holds parameter positions). */
export type HyperValue = number | boolean | string | null | number[];

/**
 * torch.optim.Optimizer. Subclasses implement `updateGroup`, which changes each parameter in place with one
 * fused pass over its typed arrays (no autograd, no per-element allocation).
 */
export abstract class Optimizer<H extends object = object, S extends ParamState = ParamState> {
  readonly paramGroups: ParamGroup<H>[] = [];
  readonly defaults: H;
  /** Per-parameter state (momentum buffers, moment estimates). */
  readonly state = new Map<Tensor, S>();
  private readonly name: string;

  protected constructor(name: string, params: ParamsArg<H>, defaults: H) {
    this.name = name;
    this.defaults = defaults;
    const list = paramList(name, params);
    if (list.length === 0) throw new Error(`${name}: got an empty parameter list; pass model.parameters() or [w, b]`);
    const isGroups = list.every((g) => !(g instanceof Tensor) && typeof g === "object" && g !== null && "params" in g);
    if (isGroups) for (const g of list as (Partial<H> & { params: Iterable<Tensor> })[]) this.addParamGroup(g);
    else this.addParamGroup({ params: list as Tensor[] } as unknown as Partial<H> & { params: Iterable<Tensor> });
  }

  addParamGroup(group: Partial<H> & { params: Iterable<Tensor> }): void {
    const params = [...group.params];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new Error(`${this.name}: parameter ${i} is not a Tensor (${describe(p)}); pass model.parameters() or [w, b]`);
      }
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
        if (setToNone) dropGrad(p);
        else if (p._gradValue) p._gradValue.detach().zero_();
      }
    }
  }

  /** The state as PyTorch lays it out (arrays as tensors sharing this optimizer's storage). */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict["state"] = {};
    const paramGroups: Record<string, HyperValue>[] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const ids: number[] = [];
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s) {
          const entry: Record<string, Tensor | number> = {};
          for (const [k, v] of Object.entries(s)) {
            if (typeof v === "number") entry[k] = v;
            else if (v !== null) entry[k] = new Tensor(v, p.shape, p.dtype, p.device);
          }
          state[String(index)] = entry;
        }
        ids.push(index++);
      }
      paramGroups.push({ ...group, params: ids } as unknown as Record<string, HyperValue>);
    }
    return { state, paramGroups };
  }

  /** Restores hyper-parameters and state saved by stateDict() from an optimizer over the same parameters. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    const groups = stateDict.paramGroups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      throw new Error(`${op}: the state dict has ${Array.isArray(groups) ? groups.length : "no"} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    groups.forEach((g, i) => {
      const n = Array.isArray(g.params) ? g.params.length : -1;
      if (n !== this.paramGroups[i].params.length) {
        throw new Error(`${op}: parameter group ${i} has ${n} parameters in the state dict but ${this.paramGroups[i].params.length} here`);
      }
    });
    const loaded = new Map<Tensor, S>();
    groups.forEach((g, i) => {
      (g.params as number[]).forEach((id, j) => {
        const entry = stateDict.state[String(id)];
        if (entry === undefined) return;
        const p = this.paramGroups[i].params[j];
        const s: ParamState = {};
        for (const [k, v] of Object.entries(entry)) {
          if (typeof v === "number") s[k] = v;
          else if (v instanceof Tensor) {
            if (v.numel() !== p.numel()) {
              throw new Error(`${op}: state "${k}" of parameter ${id} has shape ${formatShape(v.shape)} but the parameter has ${formatShape(p.shape)}`);
            }
            // a copy on the parameter's backend, converted to its dtype
            const be = getBackend(p.device);
            const a = be.alloc(p.dtype, p.numel());
            be.copy(v.to(p.device)._data, 0, a, 0, p.numel());
            holdStorage(s, a, be);
            s[k] = a;
          }
        }
        loaded.set(p, this.completeState(s) as S);
      });
    });
    groups.forEach((g, i) => {
      const { params: _ids, ...hyper } = g;
      Object.assign(this.paramGroups[i], hyper, { params: this.paramGroups[i].params });
    });
    this.state.clear();
    for (const [p, s] of loaded) this.state.set(p, s);
  }

  /** Fills state entries a saved dict may lack (e.g. Adam's maxExpAvgSq without amsgrad). */
  protected completeState(s: ParamState): ParamState {
    return s;
  }

  /** The backend, the storage to update and the gradient to read for `p`, or null when p has no gradient yet. */
  protected arrays(p: Tensor): { backend: Backend; param: Storage; grad: Storage } | null {
    const g = p._gradValue;
    if (g === null) return null;
    const backend = getBackend(p.device);
    if (g.device !== p.device) throw new Error(`${this.name}.step: a parameter on ${p.device} has its gradient on ${g.device}; they must be on one device`);
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i]) || g.dtype !== p.dtype) {
      throw new Error(
        `${this.name}.step: a parameter ${p.dtype} ${formatShape(p.shape)} has a gradient ${g.dtype} ${formatShape(g.shape)}; they must match`,
      );
    }
    p._version.v++; // the in-place change below must invalidate graphs that saved p
    return { backend, param: p._data, grad: g._data };
  }
}

export function checkNonNegative(op: string, name: string, value: unknown): void {
  if (typeof value !== "number" || !(value >= 0)) throw new Error(`${op}: invalid ${name}: ${String(value)} (must be a number >= 0)`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  // modules are callable objects (typeof "function") named by their class
  if (typeof value === "object" || (typeof value === "function" && value.constructor !== Function)) return `a ${(value as object).constructor?.name ?? "object"}`;
  return typeof value;
}

/** The parameters as a list; a model, a single tensor or a non-iterable is a misuse named in the message. */
function paramList(op: string, params: unknown): unknown[] {
  if (params instanceof Tensor) {
    throw new Error(`${op}: params must be an array (or iterable) of tensors, got a single Tensor of shape ${formatShape(params.shape)}; wrap it: [w, b]`);
  }
  const isObject = params !== null && (typeof params === "object" || typeof params === "function");
  if (isObject && typeof (params as { parameters?: unknown }).parameters === "function") {
    throw new Error(`${op}: got ${describe(params)} module as params; pass its parameters: model.parameters()`);
  }
  if (!isObject || !(Symbol.iterator in (params as object))) {
    throw new Error(`${op}: params must be an iterable of tensors such as model.parameters() or [w, b], got ${describe(params)}`);
  }
  return [...(params as Iterable<unknown>)];
}
