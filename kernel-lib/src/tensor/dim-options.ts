/**
 * PyTorch's keyword arguments `dim=` and `keepdim=` as an options object, accepted wherever the positional form is:
 * `x.sum({ dim: 0 })` is `x.sum(0)`, `x.max({ dim: 1, keepdim: true })` is `x.max(1, true)`.
 */
export interface DimOptions<D = number> {
  dim?: D;
  keepdim?: boolean;
}

function isOptions(v: unknown): v is DimOptions<unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !("shape" in v);
}

/** [dim, keepdim] from either spelling (an options object given with a positional keepdim keeps the object's). */
export function dimArgs<D>(op: string, dim: D | DimOptions<D> | undefined, keepdim: boolean | undefined): [D | undefined, boolean] {
  if (isOptions(dim)) {
    for (const key of Object.keys(dim)) {
      if (key !== "dim" && key !== "keepdim") throw new Error(`${op}: unknown option "${key}" (the options are dim and keepdim)`);
    }
    return [dim.dim as D | undefined, dim.keepdim ?? keepdim ?? false];
  }
  return [dim as D | undefined, keepdim ?? false];
}

/** The dim of softmax-like ops, positional or `{ dim }` (the op itself reports a missing one). */
export function requiredDim(dim: number | { dim: number } | undefined): number {
  return (isOptions(dim) ? (dim as { dim?: number }).dim : dim) as number;
}

/**
 * The keyword arguments of an op given as an options object, checked against the op's own keywords; undefined when
 * the first keyword was given positionally (a number, array, null, boolean or tensor).
 */
export function keywordOptions<K extends string>(op: string, v: unknown, keys: readonly K[]): Partial<Record<K, unknown>> | undefined {
  if (!isOptions(v)) return undefined;
  for (const key of Object.keys(v)) {
    if (!(keys as readonly string[]).includes(key)) throw new Error(`${op}: unknown option "${key}" (the options are ${keys.join(", ")})`);
  }
  return v as Partial<Record<K, unknown>>;
}

/** `{ dim }` or a positional dim (`cat(ts, { dim: 1 })`, `x.unsqueeze({ dim: 0 })`). */
export function dimOnly(op: string, dim: number | { dim?: number } | undefined): number | undefined {
  const o = keywordOptions(op, dim, ["dim"] as const);
  return o ? (o.dim as number | undefined) : (dim as number | undefined);
}

/** var/std keywords: `{ dim, keepdim, unbiased, correction }`. */
export interface VarOptions {
  dim?: number | number[] | null;
  keepdim?: boolean;
  /** PyTorch 1.13's unbiased= (true: divide by n - 1, the default); correction= is the newer spelling. */
  unbiased?: boolean;
  correction?: number;
}

/**
 * [dim, correction, keepdim] of var/std from PyTorch's spellings: `x.var()`, `x.var(false)` (unbiased),
 * `x.var(dim, unbiased?, keepdim?)`, `x.var(dim, { correction, keepdim })`, `x.var({ dim, keepdim, unbiased })`.
 */
export function varArgs(
  op: string,
  dim: number | number[] | null | boolean | VarOptions | undefined,
  second: boolean | Omit<VarOptions, "dim"> | undefined,
  keepdim: boolean | undefined,
): [number | number[] | null | undefined, number, boolean] {
  const keys = ["dim", "keepdim", "unbiased", "correction"] as const;
  let o: VarOptions = {};
  let d: number | number[] | null | undefined;
  const first = keywordOptions(op, dim, keys);
  if (first) o = first as VarOptions;
  else if (typeof dim === "boolean") o = { unbiased: dim };
  else d = dim as number | number[] | null | undefined;
  if (typeof second === "boolean") o = { ...o, unbiased: second };
  else if (second !== undefined) o = { ...o, ...(keywordOptions(op, second, keys.slice(1)) as VarOptions) };
  if (keepdim !== undefined) o = { ...o, keepdim };
  if (o.unbiased !== undefined && o.correction !== undefined) throw new Error(`${op}: give unbiased or correction, not both`);
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  return [first ? o.dim : d, correction, o.keepdim ?? false];
}

/** norm keywords: `x.norm({ p: 1, dim: 0, keepdim: true })`. */
export interface NormOptions {
  p?: number;
  dim?: number | number[] | null;
  keepdim?: boolean;
}
