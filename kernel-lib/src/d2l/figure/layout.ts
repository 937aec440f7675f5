import { AxisSpec, FigureSpec, FONT_SIZE, Series } from "./model";
import { Tick, axisTicks, toAxis } from "./ticks";

/** Approximate width of a character of the figure font, for layout. */
export const CHAR_WIDTH = 0.62 * FONT_SIZE;
export const TICK_LENGTH = 4;
const LEGEND_ROW = FONT_SIZE + 6;
const LEGEND_SAMPLE = 22;

export type Corner = "upper right" | "upper left" | "lower left" | "lower right";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LegendLayout {
  corner: Corner;
  box: Rect;
  entries: { series: number; name: string }[];
  rowHeight: number;
  sampleWidth: number;
}

/** Everything a renderer needs: axis ranges in axis units (log10 for log axes), ticks and pixel geometry. */
export interface FigureLayout {
  plot: Rect;
  xRange: [number, number];
  yRange: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  legend?: LegendLayout;
}

function usable(v: number, axis: AxisSpec): boolean {
  return Number.isFinite(v) && (axis.scale !== "log" || v > 0);
}

/**
 * Equal limits (xlim [1, 1] for one epoch): matplotlib warns and widens them (a decade each way on a log axis,
 * 5% of the value, or ±0.05 at zero, on a linear one), so do we.
 */
function singularRange(name: "x" | "y", v: number, axis: AxisSpec): [number, number] {
  console.warn(
    `UserWarning: Attempting to set identical low and high ${name}lims makes transformation singular; automatically expanding. (${name}lim [${v}, ${v}])`,
  );
  const t = toAxis(v, axis.scale);
  if (axis.scale === "log") return [t - 1, t + 1];
  return v === 0 ? [-0.05, 0.05] : [t - 0.05 * Math.abs(t), t + 0.05 * Math.abs(t)];
}

/** The axis range in axis units: the fixed limits, or the data range with matplotlib's 5% margins. */
export function axisRange(axis: AxisSpec, name: "x" | "y", series: Series[]): [number, number] {
  if (axis.lim) {
    const [a, b] = axis.lim;
    if (!Number.isFinite(a) || !Number.isFinite(b) || (axis.scale === "log" && (a <= 0 || b <= 0))) {
      throw new Error(`plot: ${name}lim [${a}, ${b}] is not a usable ${axis.scale} range`);
    }
    if (a === b) return singularRange(name, a, axis);
    return [toAxis(a, axis.scale), toAxis(b, axis.scale)];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const vs = name === "x" ? s.x : s.y;
    const other = name === "x" ? s.y : s.x;
    for (let i = 0; i < vs.length; i++) {
      if (!usable(vs[i], axis) || !Number.isFinite(other[i])) continue;
      const t = toAxis(vs[i], axis.scale);
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (lo > hi) return [0, 1]; // nothing to draw: [0, 1], or [1, 10] on a log axis
  if (lo === hi) {
    const pad = axis.scale === "log" ? 0.5 : Math.max(Math.abs(lo) * 0.05, 0.5);
    return [lo - pad, hi + pad];
  }
  const margin = (hi - lo) * 0.05;
  return [lo - margin, hi + margin];
}

function labelWidth(t: Tick): number {
  return (t.label.length + (t.sup ? t.sup.length * 0.7 : 0)) * CHAR_WIDTH;
}

/** Maps data values to pixels inside `plot`. */
export function projector(layout: FigureLayout, spec: FigureSpec): { px: (x: number) => number; py: (y: number) => number } {
  const { plot, xRange, yRange } = layout;
  return {
    px: (x) => plot.x + ((toAxis(x, spec.x.scale) - xRange[0]) / (xRange[1] - xRange[0])) * plot.width,
    py: (y) => plot.y + plot.height - ((toAxis(y, spec.y.scale) - yRange[0]) / (yRange[1] - yRange[0])) * plot.height,
  };
}

function segmentHitsRect(x0: number, y0: number, x1: number, y1: number, r: Rect): boolean {
  // Liang-Barsky clipping: does any part of the segment lie inside r?
  let t0 = 0;
  let t1 = 1;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const edges: [number, number][] = [[-dx, x0 - r.x], [dx, r.x + r.width - x0], [-dy, y0 - r.y], [dy, r.y + r.height - y0]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/** matplotlib's legend loc="best", restricted to the four corners: the one covering the fewest data. */
function legendLayout(spec: FigureSpec, layout: FigureLayout): LegendLayout | undefined {
  if (!spec.legend) return undefined;
  const entries = spec.series.map((s, i) => ({ series: i, name: s.name })).filter((e) => e.name !== "");
  if (entries.length === 0) return undefined;
  const width = 8 + LEGEND_SAMPLE + 6 + Math.max(...entries.map((e) => e.name.length)) * CHAR_WIDTH + 6;
  const height = entries.length * LEGEND_ROW + 6;
  const { plot } = layout;
  const pad = 5;
  const boxes: [Corner, Rect][] = [
    ["upper right", { x: plot.x + plot.width - pad - width, y: plot.y + pad, width, height }],
    ["upper left", { x: plot.x + pad, y: plot.y + pad, width, height }],
    ["lower left", { x: plot.x + pad, y: plot.y + plot.height - pad - height, width, height }],
    ["lower right", { x: plot.x + plot.width - pad - width, y: plot.y + plot.height - pad - height, width, height }],
  ];
  const { px, py } = projector(layout, spec);
  const cost = (r: Rect): number => {
    let hits = 0;
    for (const s of spec.series) {
      let prev: [number, number] | undefined;
      for (let i = 0; i < s.x.length; i++) {
        if (!usable(s.x[i], spec.x) || !usable(s.y[i], spec.y)) {
          prev = undefined;
          continue;
        }
        const p: [number, number] = [px(s.x[i]), py(s.y[i])];
        if (prev ? segmentHitsRect(prev[0], prev[1], p[0], p[1], r) : segmentHitsRect(p[0], p[1], p[0], p[1], r)) hits++;
        prev = p;
      }
    }
    return hits;
  };
  let best = boxes[0];
  let bestCost = cost(best[1]);
  for (const candidate of boxes.slice(1)) {
    const c = cost(candidate[1]);
    if (c < bestCost) {
      best = candidate;
      bestCost = c;
    }
  }
  return { corner: best[0], box: best[1], entries, rowHeight: LEGEND_ROW, sampleWidth: LEGEND_SAMPLE };
}

/** Computes ranges, ticks, margins and the legend position shared by the SVG and plotly renderings. */
export function layoutFigure(spec: FigureSpec): FigureLayout {
  const xRange = axisRange(spec.x, "x", spec.series);
  const yRange = axisRange(spec.y, "y", spec.series);
  const top = 8;
  const bottom = 6 + TICK_LENGTH + 3 + FONT_SIZE + (spec.x.label ? FONT_SIZE + 8 : 0);
  const plotHeight = Math.max(20, spec.height - top - bottom);
  const yTicks = axisTicks(yRange, spec.y.scale, plotHeight, 40);
  const yLabelWidth = Math.max(0, ...yTicks.map(labelWidth));
  const left = 6 + (spec.y.label ? FONT_SIZE + 8 : 0) + yLabelWidth + 3 + TICK_LENGTH;
  const right = 14;
  const plotWidth = Math.max(20, spec.width - left - right);
  const xTicks = axisTicks(xRange, spec.x.scale, plotWidth, 80);
  const layout: FigureLayout = {
    plot: { x: left, y: top, width: plotWidth, height: plotHeight },
    xRange,
    yRange,
    xTicks,
    yTicks,
  };
  layout.legend = legendLayout(spec, layout);
  return layout;
}
