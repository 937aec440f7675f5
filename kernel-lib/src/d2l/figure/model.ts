/** The figure a plot or an Animator draws, independent of how it is rendered (SVG, plotly). */

export type Scale = "linear" | "log";
export type Dash = "solid" | "dash" | "dashdot" | "dot" | "none";
export type Marker = "circle" | "point" | "square" | "diamond" | "triangle-up" | "triangle-down" | "triangle-left" | "triangle-right" | "plus" | "x" | "star";

export interface LineStyle {
  /** CSS colour, e.g. "#1f77b4". */
  color: string;
  /** "none" draws markers only. */
  dash: Dash;
  marker?: Marker;
}

export interface Series {
  x: number[];
  y: number[];
  /** Legend entry; empty means no entry. */
  name: string;
  style: LineStyle;
}

export interface AxisSpec {
  label: string;
  scale: Scale;
  /** Fixed [low, high] in data units; automatic (data range plus 5% margins) when absent. */
  lim?: [number, number];
}

export interface FigureSpec {
  /** Pixels. */
  width: number;
  height: number;
  x: AxisSpec;
  y: AxisSpec;
  series: Series[];
  /** Whether a legend is drawn (d2l draws one only when `legend` was given). */
  legend: boolean;
}

/** d2l's figsize is in inches; figures are drawn at this many pixels per inch. */
export const PIXELS_PER_INCH = 100;
/** The book's default figure size in inches. */
export const DEFAULT_FIGSIZE: [number, number] = [3.5, 2.5];
export const FONT_SIZE = 11;
export const FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif";
export const LINE_WIDTH = 1.5;
export const GRID_COLOR = "#dddddd";
