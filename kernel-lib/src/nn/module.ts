import { dropGrad, noGrad } from "../tensor/autograd";
import { DTYPES, DType, isFloating } from "../tensor/dtype";
import { formatShape } from "../tensor/shape";
import { Device, Tensor } from "../tensor/tensor";
import { deviceName } from "../ops/convert";
import { Parameter } from "./parameter";

export type StateDict = Record<string, Tensor>;

/** What loadStateDict reports (with strict=false nothing is thrown for these). */
export interface IncompatibleKeys {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * A module is callable as in PyTorch: `model(x)` runs `model.forward(x)`, typed by the subclass's own `forward`
 * (its parameters and its return type, through the polymorphic `this`). A module typed only as `nn.Module`
 * takes any arguments and returns `any`, because its `forward` may return anything (a tensor, a tuple
 * `[logits, probas]`, ...), as in PyTorch.
 */
export interface Module {
  (...args: Parameters<this["forward"]>): ReturnType<this["forward"]>;
}

/**
 * torch.nn.Module. Subclass it, hold Parameters and sub-modules in fields (or in arrays of them), and define
 * `forward`. They are found the way PyTorch finds registered ones: a module's own parameters in definition
 * order, then each sub-module's, named with dots (`fc1.weight`, `layers.0.bias`) so state-dict keys match
 * PyTorch's for the same class. Call a module as `model(x)` (or `model.forward(x)`, the same thing).
 *
 * How it is callable: the constructor returns a function object whose prototype is the subclass's, so fields,
 * methods and `instanceof` work as on any object. The function's own `name` and `length` are removed, and
 * Function.prototype is not in the chain (its `name` and `length` are read-only), so fields of those names
 * (`this.name = "encoder"`) are ordinary fields; `call`/`apply`/`bind` are therefore absent: call the module.
 */
export class Module {
  /** True in training mode (the default); Dropout and friends read it. (Set in the constructor, on the callable.) */
  declare training: boolean;

  constructor() {
    // `model(x)` calls forward with `this` = the module; the arrow has no own `prototype` to collide with fields
    const call = (...args: unknown[]): unknown => (call as unknown as Module).forward(...args);
    delete (call as { name?: string }).name;
    delete (call as { length?: number }).length;
    Object.setPrototypeOf(call, new.target.prototype);
    (call as unknown as Module).training = true;
    return call as unknown as Module;
  }

  /**
   * The computation; every subclass defines it, with any parameters and any return type (PyTorch's forward may
   * return a tuple): `override forward(x: torch.Tensor): torch.Tensor`. `any` here because the base cannot know
   * the subclass's signature; calls on a subclass are typed by the subclass's forward.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(...args: any[]): any {
    throw new Error(
      `${this.constructor.name}.forward is not implemented: define forward(x: torch.Tensor): torch.Tensor in your Module subclass`,
    );
  }

  /** Own parameters as [field name, parameter], then own sub-modules as [field name, module], in field order. */
  private ownMembers(): { params: [string, Parameter][]; modules: [string, Module][] } {
    const params: [string, Parameter][] = [];
    const modules: [string, Module][] = [];
    const visit = (name: string, value: unknown, depth: number): void => {
      if (value instanceof Parameter) params.push([name, value]);
      else if (value instanceof Module) modules.push([name, value]);
      else if (Array.isArray(value) && depth < 4) value.forEach((v, i) => visit(`${name}.${i}`, v, depth + 1));
    };
    for (const key of Object.keys(this)) visit(key, (this as Record<string, unknown>)[key], 0);
    return { params, modules };
  }

  /** Direct sub-modules with their names (array elements as `name.i`). */
  namedChildren(): [string, Module][] {
    return this.ownMembers().modules;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module ("") and every module below it, each once, depth first. */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, sub] of m.namedChildren()) walk(sub, name ? `${name}.${child}` : child);
    };
    walk(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name, each parameter once (shared ones under their first name). */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    return this.allNamedParameters().filter(([, p]) => (seen.has(p) ? false : (seen.add(p), true)));
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  private allNamedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.ownMembers().params) out.push([prefix ? `${prefix}.${name}` : name, p]);
    }
    return out;
  }

  /** Sets training mode here and in every sub-module (`train(false)` is `eval()`). */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Forgets all gradients (sets each parameter's grad to null, as PyTorch does by default). */
  zeroGrad(): void {
    for (const p of this.parameters()) dropGrad(p);
  }

  /** Calls fn on every sub-module (children first) and then on this one, as PyTorch's apply; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Moves (or converts) every parameter: `to("cpu")`, `to("webgpu")`, or a floating dtype such as `to("float64")`.
   * Parameters are replaced by moved ones, so create the optimizer after calling this.
   */
  to(target: Device | DType | (string & {})): this {
    const isDtype = (DTYPES as readonly string[]).includes(target);
    if (!isDtype) target = deviceName(`${this.constructor.name}.to`, target);
    if (isDtype && !isFloating(target as DType)) {
      throw new Error(`${this.constructor.name}.to: modules only convert to floating dtypes (float32, float64), got ${target}`);
    }
    const moved = new Map<Parameter, Parameter>();
    const move = (p: Parameter): Parameter => {
      if (isDtype ? p.dtype === target || !isFloating(p.dtype) : p.device === target) return p;
      let q = moved.get(p);
      if (!q) {
        q = noGrad(() => new Parameter(p.to(target), p.requiresGrad));
        moved.set(p, q);
      }
      return q;
    };
    for (const m of this.modules()) {
      const fields = m as unknown as Record<string, unknown>;
      for (const key of Object.keys(m)) fields[key] = replaceParams(fields[key], move, 0);
    }
    return this;
  }

  /** `to("float64")`, as PyTorch's double(). */
  double(): this {
    return this.to("float64");
  }

  /** `to("float32")`, as PyTorch's float(). */
  float(): this {
    return this.to("float32");
  }

  /**
   * The parameters by dotted name (detached, sharing storage), keys as PyTorch's state_dict:
   * `torch.save(model.stateDict(), path)`.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.allNamedParameters()) out[name] = p.detach();
    return out;
  }

  /**
   * Copies values from a state dict into the parameters. With strict (the default) a missing or unexpected key is
   * an error; a shape mismatch always is. Returns the keys that did not match.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, strict = true): IncompatibleKeys {
    const source: StateDict = stateDict instanceof Map ? Object.fromEntries(stateDict) : stateDict;
    const own = this.allNamedParameters();
    const ownNames = new Set(own.map(([n]) => n));
    const missingKeys = own.map(([n]) => n).filter((n) => !(n in source));
    const unexpectedKeys = Object.keys(source).filter((n) => !ownNames.has(n));
    const problems: string[] = [];
    for (const [name, p] of own) {
      const v = source[name];
      if (v === undefined) continue;
      if (!(v instanceof Tensor)) problems.push(`value for "${name}" is not a Tensor`);
      else if (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])) {
        problems.push(
          `size mismatch for ${name}: copying a param with shape ${formatShape(v.shape)} from the state dict, ` +
            `the shape in the current model is ${formatShape(p.shape)}`,
        );
      }
    }
    if (strict) {
      if (missingKeys.length) problems.unshift(`missing key(s) in state dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
      if (unexpectedKeys.length) problems.push(`unexpected key(s) in state dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    }
    if (problems.length) {
      const hint = strict && (missingKeys.length || unexpectedKeys.length)
        ? "\nLoad a state dict saved from the same model class (torch.save(model.stateDict(), path)), or pass strict = false to load the matching keys only."
        : "";
      throw new Error(`loadStateDict: error(s) in loading the state dict for ${this.constructor.name}:\n  ${problems.join("\n  ")}${hint}`);
    }
    noGrad(() => {
      for (const [name, p] of own) if (source[name] !== undefined) p.copy_(source[name]);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** The extra text inside this module's parentheses in its printed form (e.g. Linear's sizes). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's printed form: `Sequential(\n  (0): Linear(in_features=4, out_features=5, bias=True)\n ...)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split("\n").join("\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function replaceParams(value: unknown, move: (p: Parameter) => Parameter, depth: number): unknown {
  if (value instanceof Parameter) return move(value);
  if (Array.isArray(value) && depth < 4) {
    for (let i = 0; i < value.length; i++) value[i] = replaceParams(value[i], move, depth + 1);
  }
  return value;
}
