import { Tensor } from "../tensor/tensor";
import { Module } from "./module";

/** Modules stored as numbered fields "0", "1", ..., indexable and iterable (shared by Sequential and ModuleList). */
class IndexedModules extends Module {
  [index: number]: Module;
  declare readonly length: number;

  constructor(op: string, modules: readonly Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new Error(`${op}: argument ${i} is not a Module (${m === null ? "null" : typeof m}); pass layers such as new nn.Linear(4, 5)`);
      }
      this[i] = m;
    });
    Object.defineProperty(this, "length", { value: modules.length, enumerable: false, writable: true });
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (let i = 0; i < this.length; i++) yield this[i];
  }
}

/**
 * torch.nn.Sequential: applies its modules in order. Children are named "0", "1", ... and indexable:
 * `net[0].weight` (typed per position when the modules are given inline), `net.length`, `for (const m of net)`.
 */
class SequentialModule extends IndexedModules {
  constructor(...modules: Module[]) {
    super("Sequential", modules);
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (let i = 0; i < this.length; i++) x = this[i].forward(x);
    return x;
  }
}

// printed and named in errors as PyTorch's class
Object.defineProperty(SequentialModule, "name", { value: "Sequential" });

type Positional<T extends readonly Module[]> = { readonly [K in keyof T as K extends `${number}` ? K : never]: T[K] };

export type Sequential<T extends readonly Module[] = Module[]> = SequentialModule & Positional<T>;

export const Sequential = SequentialModule as unknown as {
  new <T extends Module[]>(...modules: T): Sequential<T>;
  /** the signature `class MyNet extends nn.Sequential` resolves to */
  new (...modules: Module[]): Sequential;
  readonly prototype: SequentialModule;
};

/**
 * torch.nn.ModuleList: holds sub-modules in a list (names "0", "1", ...) without a forward of its own.
 * A plain array field of modules works too; ModuleList also appears in namedModules, as in PyTorch.
 */
export class ModuleList extends IndexedModules {
  constructor(modules: readonly Module[] = []) {
    super("ModuleList", modules);
  }

  append(module: Module): this {
    if (!(module instanceof Module)) throw new Error(`ModuleList.append: expected a Module, got ${typeof module}`);
    this[this.length] = module;
    (this as { length: number }).length = this.length + 1;
    return this;
  }
}
