import { getBackend } from "../backends/registry";
import type { Backend, Storage } from "../backends/backend";
import { DType, TypedArray, allocate, assertDType, dtypeOfArray, isFloating } from "./dtype";
import { defaultGenerator, fillPermutation } from "./random";
import { fma } from "./fma";
import { checkShape, formatShape, numelOf } from "./shape";
import { Device, NestedArray, Tensor } from "./tensor";

/**
 * Creation functions. JavaScript has no separate integer literals (1 and 1.0 are the same number), so plain
 * numbers make float32 tensors unless a dtype is given; integer tensors come from { dtype: "int32" },
 * Int32Array data, randint, randperm, argmax and labels.
 */
export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: Device | string;
}

export type ShapeArg = number | readonly number[];
/** `zeros(2, 3)`, `zeros([2, 3])`, `zeros(2, 3, { dtype })`, `zeros([2, 3], { dtype })`. */
export type ShapeAndOptions = (number | readonly number[] | TensorOptions)[];

function splitArgs(op: string, args: ShapeAndOptions): { shape: number[]; options: TensorOptions } {
  let options: TensorOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === "object" && !Array.isArray(last)) {
    options = last as TensorOptions;
    rest = args.slice(0, -1);
  }
  let shape: unknown[];
  if (rest.length === 1 && Array.isArray(rest[0])) shape = [...(rest[0] as readonly number[])];
  else {
    if (rest.some((a) => Array.isArray(a))) throw new Error(`${op}: give the shape either as numbers zeros(2, 3) or as one array zeros([2, 3])`);
    shape = rest as unknown[];
  }
  return { shape: checkShape(op, shape), options };
}

/** Applies dtype-independent options (requiresGrad, device) to a freshly made CPU tensor. */
function finish(op: string, t: Tensor, options: TensorOptions): Tensor {
  let out = t;
  if (options.device !== undefined && options.device !== "cpu") out = out.to(options.device as Device);
  if (options.requiresGrad) {
    if (!isFloating(out.dtype)) {
      throw new Error(`${op}: only floating-point tensors can require gradients, but dtype is ${out.dtype}; use { dtype: "float32" }`);
    }
    out.requiresGrad_(true);
  }
  return out;
}

function dtypeOf(op: string, options: TensorOptions, fallback: DType): DType {
  return options.dtype === undefined ? fallback : assertDType(op, options.dtype);
}

/**
 * A new CPU tensor of `shape`: zeros, or filled on the backend by `fill` (fill, random draws), or built on the
 * host by `build` and uploaded once (arange, eye, randperm ...).
 */
function make(
  op: string, shape: number[], options: TensorOptions, fallback: DType,
  fill?: { onBackend: (be: Backend, data: Storage) => void } | { onHost: (data: TypedArray) => void },
): Tensor {
  const dtype = dtypeOf(op, options, fallback);
  const be = getBackend("cpu");
  let data: Storage;
  if (fill && "onHost" in fill) {
    const host = allocate(dtype, numelOf(shape));
    fill.onHost(host);
    data = be.upload(host);
  } else {
    data = be.alloc(dtype, numelOf(shape));
    if (fill) fill.onBackend(be, data);
  }
  return finish(op, new Tensor(data, shape, dtype), options);
}

export type TensorData = number | boolean | TypedArray | NestedArray | readonly (number | boolean)[] | readonly TensorData[];

/** torch.tensor(data, options): a new tensor copying a number, nested arrays or a TypedArray. */
export function tensor(data: TensorData | Tensor, options: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) {
    const t = data.detach().to(options.dtype ?? data.dtype).clone();
    return finish("tensor", t === data ? t.clone() : t, options);
  }
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const dtype = dtypeOf("tensor", options, dtypeOfArray(arr));
    const host = allocate(dtype, arr.length);
    for (let i = 0; i < arr.length; i++) host[i] = arr[i];
    return finish("tensor", new Tensor(getBackend("cpu").upload(host), [arr.length], dtype), options);
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  let sawBool = false;
  const flat: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v === "boolean") {
        sawBool = true;
        flat.push(v ? 1 : 0);
      } else if (typeof v === "number") flat.push(v);
      else throw new Error(`tensor: element at ${path || "the top"} is ${Array.isArray(v) ? "an array (the nesting is ragged)" : typeof v}, expected a number`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(
        `tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}${path ? ` (${path})` : ""}, ` +
          `got ${Array.isArray(v) ? v.length : typeof v}; every row must have the same length (shape ${formatShape(shape)})`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(data, 0, "");
  const dtype = dtypeOf("tensor", options, sawBool ? "bool" : "float32");
  const host = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) host[i] = flat[i];
  return finish("tensor", new Tensor(getBackend("cpu").upload(host), shape, dtype), options);
}

export function zeros(...args: ShapeAndOptions): Tensor {
  const { shape, options } = splitArgs("zeros", args);
  return make("zeros", shape, options, "float32");
}

export function ones(...args: ShapeAndOptions): Tensor {
  const { shape, options } = splitArgs("ones", args);
  return make("ones", shape, options, "float32", { onBackend: (be, d) => be.fill(d, 1) });
}

export function empty(...args: ShapeAndOptions): Tensor {
  const { shape, options } = splitArgs("empty", args);
  return make("empty", shape, options, "float32");
}

export function full(shape: ShapeArg, value: number, options: TensorOptions = {}): Tensor {
  const s = checkShape("full", typeof shape === "number" ? [shape] : [...shape]);
  if (typeof value !== "number" && typeof value !== "boolean") throw new Error(`full: fill value must be a number, got ${typeof value}`);
  const fallback: DType = typeof value === "boolean" ? "bool" : "float32";
  return make("full", s, options, fallback, { onBackend: (be, d) => be.fill(d, Number(value)) });
}

/** arange(end), arange(start, end), arange(start, end, step): values start + i·step below end. */
export function arange(start: number, end?: number | TensorOptions, step?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  let opts = options;
  if (typeof end === "object") {
    opts = end;
    end = undefined;
  }
  if (typeof step === "object") {
    opts = step;
    step = undefined;
  }
  const [a, b, s] = end === undefined ? [0, start, 1] : [start, end, step ?? 1];
  for (const [name, v] of [["start", a], ["end", b], ["step", s]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`arange: ${name} must be a finite number, got ${v}`);
  }
  if (s === 0) throw new Error(`arange: step must be nonzero`);
  if ((b - a) * s < 0) throw new Error(`arange: step ${s} goes away from end ${b} starting at ${a}; use a step of the other sign`);
  const n = Math.max(0, Math.ceil((b - a) / s));
  return make("arange", [n], opts, "float32", { onHost: (d) => fillArange(d, a, s) });
}

/**
 * PyTorch's CPU arange, value for value: its kernel computes in double, fusing `start + step * i` into one
 * multiply-add, in blocks of two 32-byte vectors (16 float32 or 8 float64 elements) whose lanes are
 * `base + k * step` from the block's rounded base; the tail past the last whole block is `start + step * i`.
 * (Above 8192 elements PyTorch splits the range across threads at boundaries that depend on the thread count;
 * this follows the one-thread split.)
 */
function fillArange(d: TypedArray, start: number, step: number): void {
  const n = d.length;
  const lanes = 32 / d.BYTES_PER_ELEMENT;
  const round = (v: number): number => (d instanceof Float32Array ? Math.fround(v) : v);
  let i = 0;
  if (d instanceof Float32Array || d instanceof Float64Array) {
    for (; i + 2 * lanes <= n; i += 2 * lanes) {
      for (let v = i; v < i + 2 * lanes; v += lanes) {
        const base = round(fma(step, v, start));
        for (let k = 0; k < lanes; k++) d[v + k] = fma(k, step, base);
      }
    }
  }
  for (; i < n; i++) d[i] = fma(step, i, start);
}

/** linspace(start, end, steps): steps evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  return make("linspace", [steps], options, "float32", { onHost: (d) => {
    for (let i = 0; i < steps; i++) d[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
  } });
}

/** eye(n), eye(n, m): ones on the diagonal. */
export function eye(n: number, m?: number | TensorOptions, options: TensorOptions = {}): Tensor {
  let opts = options;
  let cols = n;
  if (typeof m === "object") opts = m;
  else if (m !== undefined) cols = m;
  const shape = checkShape("eye", [n, cols]);
  return make("eye", shape, opts, "float32", { onHost: (d) => {
    for (let i = 0; i < Math.min(n, cols); i++) d[i * cols + i] = 1;
  } });
}

/** Standard normal samples from the seeded generator. */
export function randn(...args: ShapeAndOptions): Tensor {
  const { shape, options } = splitArgs("randn", args);
  return make("randn", shape, options, "float32", { onBackend: (be, d) => be.normal(d, 0, 1, defaultGenerator) });
}

/** Uniform samples in [0, 1). */
export function rand(...args: ShapeAndOptions): Tensor {
  const { shape, options } = splitArgs("rand", args);
  return make("rand", shape, options, "float32", { onBackend: (be, d) => be.uniform(d, 0, 1, defaultGenerator) });
}

/** randint(low, high, shape) or randint(high, shape): integers in [low, high), int32 by default. */
export function randint(low: number, high: number | ShapeArg, shape?: ShapeArg | TensorOptions, options: TensorOptions = {}): Tensor {
  let lo = low, hi: number, size: ShapeArg, opts = options;
  if (typeof high !== "number") {
    lo = 0;
    hi = low;
    size = high;
    if (shape && typeof shape === "object" && !Array.isArray(shape)) opts = shape as TensorOptions;
  } else {
    hi = high;
    if (shape === undefined || (typeof shape === "object" && !Array.isArray(shape))) throw new Error(`randint: give a shape, e.g. randint(0, 10, [3, 4])`);
    size = shape as ShapeArg;
  }
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi <= lo) throw new Error(`randint: need integers low < high, got low=${lo}, high=${hi}`);
  const s = checkShape("randint", typeof size === "number" ? [size] : [...size]);
  return make("randint", s, opts, "int32", { onHost: (d) => {
    for (let i = 0; i < d.length; i++) d[i] = defaultGenerator.randint(lo, hi);
  } });
}

/** normal(mean, std, shape): samples of N(mean, std²). */
export function normal(mean: number, std: number, shape: ShapeArg, options: TensorOptions = {}): Tensor {
  if (typeof mean !== "number" || typeof std !== "number") throw new Error(`normal: mean and std must be numbers`);
  if (!(std >= 0)) throw new Error(`normal: std must be non-negative, got ${std}`);
  const s = checkShape("normal", typeof shape === "number" ? [shape] : [...shape]);
  return make("normal", s, options, "float32", { onBackend: (be, d) => be.normal(d, mean, std, defaultGenerator) });
}

/** randperm(n): a random permutation of 0..n-1 (int32), Fisher-Yates over the seeded generator. */
export function randperm(n: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  return make("randperm", [n], options, "int32", { onHost: (d) => fillPermutation(d, defaultGenerator) });
}

function likeOptions(t: Tensor, options: TensorOptions): TensorOptions {
  if (!(t instanceof Tensor)) throw new Error(`*Like: expected a Tensor as the first argument`);
  return { dtype: options.dtype ?? t.dtype, device: options.device ?? t.device, requiresGrad: options.requiresGrad };
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(t.shape, likeOptions(t, options));
}
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return ones(t.shape, likeOptions(t, options));
}
export function emptyLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return empty(t.shape, likeOptions(t, options));
}
export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return full(t.shape, value, likeOptions(t, options));
}
export function randnLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return randn(t.shape, likeOptions(t, options));
}
export function randLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return rand(t.shape, likeOptions(t, options));
}

/** Reseeds the one default generator: the same seed gives the same numbers everywhere. */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}

/** Wraps a TypedArray without copying (torch.from_numpy's twin). */
export function fromTypedArray(data: TypedArray, shape?: readonly number[], dtype?: DType): Tensor {
  return Tensor.fromTypedArray(data, shape ?? [data.length], dtype);
}


