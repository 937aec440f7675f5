import type { ReduceOp } from "../backend";
import type { TypedArray } from "../../tensor/dtype";

/**
 * Reduces the middle axis of x viewed as [outer, size, inner]. Sums accumulate in a float64 row buffer
 * (allocated once per call, not per element); max/min propagate NaN as PyTorch does; arg ops return the
 * first index of the extreme value.
 */
export function reduce(op: ReduceOp, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void {
  if (op === "sum" || op === "prod") {
    const acc = new Float64Array(inner);
    const isSum = op === "sum";
    for (let o = 0; o < outer; o++) {
      acc.fill(isSum ? 0 : 1);
      let base = o * size * inner;
      for (let s = 0; s < size; s++, base += inner) {
        if (isSum) for (let i = 0; i < inner; i++) acc[i] += x[base + i];
        else for (let i = 0; i < inner; i++) acc[i] *= x[base + i];
      }
      out.set(acc, o * inner);
    }
    return;
  }
  const wantMax = op === "max" || op === "argmax";
  const wantArg = op === "argmax" || op === "argmin";
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i];
      let bestAt = 0;
      if (best === best) {
        for (let s = 1; s < size; s++) {
          const v = x[base + s * inner + i];
          if (v !== v) { best = v; bestAt = s; break; }
          if (wantMax ? v > best : v < best) { best = v; bestAt = s; }
        }
      }
      out[o * inner + i] = wantArg ? bestAt : best;
    }
  }
}

/** Numerically stable softmax / log-softmax over the middle axis of [outer, size, inner]. */
export function softmax(x: TypedArray, outer: number, size: number, inner: number, out: TypedArray, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let i = 0; i < inner; i++) {
      let mx = -Infinity;
      for (let s = 0; s < size; s++) { const v = x[base + s * inner + i]; if (v > mx || v !== v) mx = v; }
      if (mx === -Infinity) mx = 0;
      let sum = 0;
      for (let s = 0; s < size; s++) sum += Math.exp(x[base + s * inner + i] - mx);
      if (log) {
        const lse = mx + Math.log(sum);
        for (let s = 0; s < size; s++) out[base + s * inner + i] = x[base + s * inner + i] - lse;
      } else {
        const inv = 1 / sum;
        for (let s = 0; s < size; s++) out[base + s * inner + i] = Math.exp(x[base + s * inner + i] - mx) * inv;
      }
    }
  }
}
