/**
 * Python's builtins that lecture code calls on tensors, datasets and loaders: `len(t)`, `iter(loader)`,
 * `next(it)`. (`for (const x of t)` is the loop; these are for the lines that call them directly.)
 */
import { Tensor } from "./tensor/tensor";

/** len(x): a tensor's first dimension, a dataset's samples, a loader's batches, an array's or string's length. */
export function len(x: Tensor | { readonly length: number } | ArrayLike<unknown> | Map<unknown, unknown> | Set<unknown>): number {
  if (x instanceof Tensor) {
    if (x.dim() === 0) throw new TypeError("len() of a 0-d tensor");
    return x.shape[0];
  }
  if (x instanceof Map || x instanceof Set) return x.size;
  const n = (x as { length?: unknown } | null)?.length;
  if (typeof n !== "number") throw new TypeError(`len: object of type ${describe(x)} has no len() (no length)`);
  return n;
}

/** iter(x): an iterator over x (a new pass over a DataLoader: a new shuffle). */
export function iter<T>(x: Iterable<T>): Iterator<T> {
  const f = (x as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator];
  if (typeof f !== "function") throw new TypeError(`iter: ${describe(x)} object is not iterable`);
  return (x as Iterable<T>)[Symbol.iterator]();
}

/** next(it) the next item, or `defaultValue` when exhausted (without one, exhaustion is an error: StopIteration). */
export function next<T>(it: Iterator<T>): T;
export function next<T, D>(it: Iterator<T>, defaultValue: D): T | D;
export function next<T, D>(it: Iterator<T>, ...rest: [D?]): T | D {
  if (!it || typeof (it as { next?: unknown }).next !== "function") throw new TypeError(`next: ${describe(it)} object is not an iterator; call iter(x) first`);
  const r = it.next();
  if (!r.done) return r.value;
  if (rest.length > 0) return rest[0] as D;
  throw new Error("StopIteration: next() on an exhausted iterator; pass a default, next(it, null), or call iter(x) again");
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object" || typeof x === "function") return (x as object).constructor?.name ?? typeof x;
  return typeof x;
}
