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
