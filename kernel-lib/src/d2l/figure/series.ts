import { Tensor } from "../../tensor/tensor";

/** One series of numbers: a 1-D tensor (or one with a single non-unit dimension), a number array or a TypedArray. */
export type SeriesLike = Tensor | ArrayLike<number>;
/** What plot accepts for X and Y: one series, several series, or a 2-D tensor whose rows are series. */
export type PlotData = SeriesLike | SeriesLike[];

function shapeText(t: Tensor): string {
  return `[${t.shape.join(",")}]`;
}

function tensorSeries(t: Tensor, op: string): number[] {
  if (t.shape.filter((d) => d !== 1).length > 1) {
    throw new Error(`${op}: a series must be 1-D, got a tensor of shape ${shapeText(t)}`);
  }
  return Array.from(t.dataSync(), Number);
}

function oneSeries(v: SeriesLike, op: string): number[] {
  if (v instanceof Tensor) return tensorSeries(v, op);
  const out = Array.from(v as ArrayLike<unknown>, Number);
  const bad = Array.from(v as ArrayLike<unknown>).findIndex((e) => typeof e !== "number" && typeof e !== "bigint");
  if (bad >= 0) throw new Error(`${op}: series element ${bad} is ${JSON.stringify((v as ArrayLike<unknown>)[bad])}, not a number`);
  return out;
}

/**
 * Normalises X or Y into a list of series, as d2l's has_one_axis does: a 1-D tensor or number array is one
 * series; a 2-D tensor is a list of row series (except [n,1], a column, which is one series); an array of
 * tensors or arrays is a list of series.
 */
export function toSeriesList(v: PlotData, op: string, what: string): number[][] {
  if (v instanceof Tensor) {
    if (v.dim() === 0) throw new Error(`${op}: ${what} must be 1-D or 2-D, got a scalar tensor`);
    if (v.dim() === 1 || (v.dim() === 2 && v.shape[1] === 1)) return [tensorSeries(v, op)];
    if (v.dim() === 2) {
      const [rows, cols] = v.shape;
      const data = v.dataSync();
      return Array.from({ length: rows }, (_, r) => Array.from(data.subarray(r * cols, (r + 1) * cols), Number));
    }
    throw new Error(`${op}: ${what} must be 1-D or 2-D, got shape ${shapeText(v)}`);
  }
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new Error(`${op}: ${what} must be a tensor, a number array or an array of them, got ${typeof v}`);
  }
  const items = v as ArrayLike<unknown>;
  const nested = Array.isArray(items) && items.length > 0 && typeof items[0] === "object";
  if (!nested) return [oneSeries(v as SeriesLike, op)];
  return (items as unknown as SeriesLike[]).map((s) => oneSeries(s, op));
}
