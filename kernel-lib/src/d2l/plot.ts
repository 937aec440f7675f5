import { showBundle } from "../display/backend";
import { figureBundle } from "./figure/bundle";
import { DEFAULT_FMTS, parseFmt } from "./figure/fmt";
import { DEFAULT_FIGSIZE, FigureSpec, PIXELS_PER_INCH, Scale, Series } from "./figure/model";
import { PlotData, toSeriesList } from "./figure/series";

export interface AxesOptions {
  xlabel?: string;
  ylabel?: string;
  /** Legend entries, one per series in order. */
  legend?: string[];
  xlim?: [number, number];
  ylim?: [number, number];
  xscale?: Scale;
  yscale?: Scale;
}

export interface PlotOptions extends AxesOptions {
  /** matplotlib format strings, cycled over the series; default ['-', 'm--', 'g-.', 'r:']. */
  fmts?: string[] | string;
  /** [width, height] in inches, drawn at PIXELS_PER_INCH (100) pixels per inch; default [3.5, 2.5]. */
  figsize?: [number, number];
}

/** Axis settings of one figure, as d2l's set_axes applies them to a matplotlib Axes. */
export interface Axes {
  xlabel: string;
  ylabel: string;
  legend?: string[];
  xlim?: [number, number];
  ylim?: [number, number];
  xscale: Scale;
  yscale: Scale;
}

let defaultFigsize: [number, number] = [...DEFAULT_FIGSIZE];

/** d2l.use_svg_display: figures always carry an SVG rendering here, so this only exists for the book's code. */
export function useSvgDisplay(): void {}

/** d2l.set_figsize: the default figure size in inches for later plots. */
export function setFigsize(figsize: [number, number] = [...DEFAULT_FIGSIZE]): void {
  defaultFigsize = checkFigsize(figsize, "setFigsize");
}

function checkFigsize(figsize: unknown, op: string): [number, number] {
  if (!Array.isArray(figsize) || figsize.length !== 2 || !figsize.every((v) => typeof v === "number" && Number.isFinite(v) && v > 0)) {
    throw new Error(`${op}: figsize must be [width, height] in inches (positive numbers), got ${JSON.stringify(figsize)}`);
  }
  return [figsize[0], figsize[1]];
}

function checkScale(scale: unknown, op: string, name: string): Scale {
  if (scale === undefined) return "linear";
  if (scale !== "linear" && scale !== "log") throw new Error(`${op}: ${name} must be "linear" or "log", got ${JSON.stringify(scale)}`);
  return scale;
}

function checkLim(lim: unknown, op: string, name: string): [number, number] | undefined {
  if (lim === undefined || lim === null) return undefined;
  // equal limits (xlim [1, num_epochs] with one epoch) are widened with a warning when laid out, as matplotlib does
  if (!Array.isArray(lim) || lim.length !== 2 || !lim.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new Error(`${op}: ${name} must be [low, high] with two finite numbers, got ${JSON.stringify(lim)}`);
  }
  return [lim[0], lim[1]];
}

/** d2l.set_axes: sets labels, limits, scales and legend of `axes`. */
export function setAxes(
  axes: Axes,
  xlabel?: string,
  ylabel?: string,
  xlim?: [number, number],
  ylim?: [number, number],
  xscale?: Scale,
  yscale?: Scale,
  legend?: string[],
): void {
  axes.xlabel = xlabel ?? "";
  axes.ylabel = ylabel ?? "";
  axes.xlim = checkLim(xlim, "setAxes", "xlim");
  axes.ylim = checkLim(ylim, "setAxes", "ylim");
  axes.xscale = checkScale(xscale, "setAxes", "xscale");
  axes.yscale = checkScale(yscale, "setAxes", "yscale");
  axes.legend = legend;
}

/** The Axes described by options (labels, limits, scales, legend), validated. */
export function axesFromOptions(opts: AxesOptions, op: string): Axes {
  if (opts.legend !== undefined && (!Array.isArray(opts.legend) || !opts.legend.every((s) => typeof s === "string"))) {
    throw new Error(`${op}: legend must be an array of strings, got ${JSON.stringify(opts.legend)}`);
  }
  return {
    xlabel: opts.xlabel ?? "",
    ylabel: opts.ylabel ?? "",
    legend: opts.legend,
    xlim: checkLim(opts.xlim, op, "xlim"),
    ylim: checkLim(opts.ylim, op, "ylim"),
    xscale: checkScale(opts.xscale, op, "xscale"),
    yscale: checkScale(opts.yscale, op, "yscale"),
  };
}

/** Figure pixels for a figsize in inches. */
export function figurePixels(figsize: [number, number] | undefined, op: string): [number, number] {
  const [w, h] = figsize === undefined ? defaultFigsize : checkFigsize(figsize, op);
  return [Math.round(w * PIXELS_PER_INCH), Math.round(h * PIXELS_PER_INCH)];
}

function fmtList(fmts: string[] | string | undefined, op: string): string[] {
  const list = fmts === undefined ? DEFAULT_FMTS : typeof fmts === "string" ? [fmts] : fmts;
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === "string")) {
    throw new Error(`${op}: fmts must be a non-empty array of format strings, got ${JSON.stringify(fmts)}`);
  }
  return list;
}

/** The series styled with fmts (cycled) and named by the legend. */
export function styleSeries(xs: number[][], ys: number[][], fmts: string[], legend: string[] | undefined): Series[] {
  return ys.map((y, i) => ({ x: xs[i], y, name: legend?.[i] ?? "", style: parseFmt(fmts[i % fmts.length], i) }));
}

/** Everything plot draws, without showing it. */
export function plotFigure(X: PlotData, Y: PlotData | null | undefined, opts: PlotOptions = {}): FigureSpec {
  const op = "plot";
  let xs = toSeriesList(X, op, "X");
  let ys: number[][];
  if (Y === undefined || Y === null) {
    ys = xs;
    xs = ys.map((y) => y.map((_, i) => i));
  } else {
    ys = toSeriesList(Y, op, "Y");
    if (xs.length === 1 && ys.length > 1) xs = ys.map(() => xs[0]);
    if (xs.length !== ys.length) throw new Error(`plot: got ${xs.length} X series for ${ys.length} Y series`);
  }
  ys.forEach((y, i) => {
    if (xs[i].length !== y.length) throw new Error(`plot: series ${i} has ${xs[i].length} x values and ${y.length} y values`);
  });
  const axes = axesFromOptions(opts, op);
  const [width, height] = figurePixels(opts.figsize, op);
  return {
    width,
    height,
    x: { label: axes.xlabel, scale: axes.xscale, lim: axes.xlim },
    y: { label: axes.ylabel, scale: axes.yscale, lim: axes.ylim },
    series: styleSeries(xs, ys, fmtList(opts.fmts, op), axes.legend),
    legend: axes.legend !== undefined,
  };
}

/**
 * d2l.plot: plots data points as one figure (plotly JSON, html, SVG and text in one display).
 *   plot(x, y, "x", "relu(x)", { figsize: [5, 2.5] })
 *   plot(x, [f(x), g(x)], "x", "f(x)", { legend: ["f(x)", "g(x)"] })
 *   plot(y)                                     // y against its index
 *   plot(x, y, { xlabel: "x", yscale: "log" })  // labels may also come in the options
 */
export function plot(
  X: PlotData,
  Y?: PlotData | null,
  xlabel?: string | PlotOptions | null,
  ylabel?: string | null,
  opts: PlotOptions = {},
): void {
  const options: PlotOptions =
    typeof xlabel === "object" && xlabel !== null
      ? { ...xlabel }
      : { ...opts, xlabel: xlabel ?? opts.xlabel ?? undefined, ylabel: ylabel ?? opts.ylabel ?? undefined };
  showBundle(figureBundle(plotFigure(X, Y, options)));
}

export { PIXELS_PER_INCH };
