import { Dash, LINE_WIDTH, LineStyle, Marker } from "./model";

/** matplotlib's default colour cycle (tab10), used for formats without a colour. */
export const COLOR_CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** matplotlib's one-letter colours. */
const COLORS: Record<string, string> = {
  b: "#0000ff", g: "#008000", r: "#ff0000", c: "#00bfbf", m: "#bf00bf", y: "#bfbf00", k: "#000000", w: "#ffffff",
};

const MARKERS: Record<string, Marker> = {
  o: "circle", ".": "point", s: "square", D: "diamond", d: "diamond", "^": "triangle-up", v: "triangle-down",
  "<": "triangle-left", ">": "triangle-right", "+": "plus", x: "x", "*": "star", p: "circle", h: "circle",
};

const LINES: [string, Dash][] = [["--", "dash"], ["-.", "dashdot"], ["-", "solid"], [":", "dot"]];

/** d2l's default fmts. */
export const DEFAULT_FMTS = ["-", "m--", "g-.", "r:"];

/**
 * Parses a matplotlib format string such as "-", "m--", "g-.", "r:", "bo-", "C1--" or "x". Without a colour the
 * series takes `COLOR_CYCLE[index]`; with a marker but no line style only markers are drawn, as in matplotlib.
 */
export function parseFmt(fmt: string, index: number): LineStyle {
  let color: string | undefined;
  let dash: Dash | undefined;
  let marker: Marker | undefined;
  let i = 0;
  while (i < fmt.length) {
    const rest = fmt.slice(i);
    const line = LINES.find(([s]) => rest.startsWith(s));
    if (line && dash === undefined) {
      dash = line[1];
      i += line[0].length;
      continue;
    }
    const cycle = /^C(\d)/.exec(rest);
    if (cycle && color === undefined) {
      color = COLOR_CYCLE[Number(cycle[1])];
      i += 2;
      continue;
    }
    const ch = fmt[i];
    if (COLORS[ch] !== undefined && color === undefined) color = COLORS[ch];
    else if (MARKERS[ch] !== undefined && marker === undefined) marker = MARKERS[ch];
    else throw new Error(`plot: cannot read format string ${JSON.stringify(fmt)}: unexpected ${JSON.stringify(ch)} at position ${i}`);
    i += 1;
  }
  return {
    color: color ?? COLOR_CYCLE[index % COLOR_CYCLE.length],
    dash: dash ?? (marker ? "none" : "solid"),
    ...(marker ? { marker } : {}),
  };
}

/** The dash pattern in pixels for a line of width LINE_WIDTH (matplotlib's patterns), or undefined for solid. */
export function dashPattern(dash: Dash): number[] | undefined {
  const unit: Partial<Record<Dash, number[]>> = { dash: [3.7, 1.6], dashdot: [6.4, 1.6, 1, 1.6], dot: [1, 1.65] };
  const pattern = unit[dash];
  return pattern?.map((v) => Math.round(v * LINE_WIDTH * 100) / 100);
}
