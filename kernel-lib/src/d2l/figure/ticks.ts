import { Scale } from "./model";

export interface Tick {
  /** Position in data units. */
  value: number;
  /** Label text; for log decades the base ("10") with `sup` the exponent. */
  label: string;
  sup?: string;
}

/** To the axis's drawing space: log10 for log axes. */
export function toAxis(v: number, scale: Scale): number {
  return scale === "log" ? Math.log10(v) : v;
}

export function fromAxis(t: number, scale: Scale): number {
  return scale === "log" ? 10 ** t : t;
}

/**
 * The tick step plotly's autoTicks picks for a linear axis: about `target` intervals, rounded UP to 2, 5 or
 * 10 times a power of ten, so the static SVG shows the same ticks as the interactive plotly figure.
 */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const base = 10 ** Math.floor(Math.log10(raw));
  const m = raw / base;
  return base * (m <= 2 ? 2 : m <= 5 ? 5 : 10);
}

function decimalsOf(step: number): number {
  let d = 0;
  while (d < 12) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6 * Math.max(1, scaled)) break;
    d += 1;
  }
  return d;
}

/** Formats tick values that are multiples of `step`. */
export function formatTick(v: number, step: number): string {
  if (Math.abs(v) < step * 1e-9) return "0";
  if (Math.abs(v) >= 1e6 || step < 1e-5) return Number(v.toPrecision(4)).toExponential();
  return v.toFixed(decimalsOf(step));
}

/** A short, exact-enough label for an arbitrary number (ranges in text summaries). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  if (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4) return Number(v.toPrecision(4)).toExponential();
  return String(Number(v.toPrecision(4)));
}

function linearTicks(lo: number, hi: number, target: number): Tick[] {
  const step = niceStep(hi - lo, target);
  const ticks: Tick[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9; k++) {
    const value = k * step;
    ticks.push({ value, label: formatTick(value, step) });
  }
  return ticks;
}

/** Ticks for a log axis whose range is [lo, hi] in log10 units. */
function logTicks(lo: number, hi: number, target: number): Tick[] {
  const decades: number[] = [];
  for (let k = Math.ceil(lo - 1e-9); k <= Math.floor(hi + 1e-9); k++) decades.push(k);
  if (decades.length >= 2) {
    const stride = Math.ceil(decades.length / Math.max(2, target + 1));
    return decades.filter((k) => k % stride === 0).map((k) => ({ value: 10 ** k, label: "10", sup: String(k) }));
  }
  const values: number[] = [];
  for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi) + 1; k++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** k;
      const t = Math.log10(v);
      if (t >= lo - 1e-9 && t <= hi + 1e-9) values.push(Number(v.toPrecision(6)));
    }
  }
  if (values.length >= 2) return values.map((value) => ({ value, label: formatNumber(value) }));
  return linearTicks(10 ** lo, 10 ** hi, target);
}

/**
 * Ticks over an axis range given in axis units (log10 for log axes). Like plotly: about one tick per
 * `minPx` pixels (80 on x, 40 on y), between 5 and 10 intervals.
 */
export function axisTicks(range: [number, number], scale: Scale, lengthPx: number, minPx: number): Tick[] {
  const target = Math.min(9, Math.max(4, lengthPx / minPx)) + 1;
  const [lo, hi] = range;
  return scale === "log" ? logTicks(lo, hi, target) : linearTicks(lo, hi, target);
}
