import { showBundle } from "../display/backend";
import type { DisplayHandle } from "../display/types";
import { Tensor } from "../tensor/tensor";
import { figureBundle } from "./figure/bundle";
import { DEFAULT_FMTS } from "./figure/fmt";
import { FigureSpec } from "./figure/model";
import { formatNumber } from "./figure/ticks";
import { Axes, AxesOptions, axesFromOptions, figurePixels, styleSeries } from "./plot";

export interface AnimatorOptions extends AxesOptions {
  fmts?: string[];
  /** Accepted as in the book; like the book's uses, only the first subplot is drawn. */
  nrows?: number;
  ncols?: number;
  /** Inches; default [3.5, 2.5]. */
  figsize?: [number, number];
}

/** A point value: a number, a one-element tensor, or null/undefined for "no point here". */
export type AnimatorValue = number | Tensor | null | undefined;

function toValue(v: AnimatorValue, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new Error(`Animator.add: ${what} must be a number or a one-element tensor, got shape [${v.shape.join(",")}]`);
    return Number(v.dataSync()[0]);
  }
  if (typeof v !== "number") throw new Error(`Animator.add: ${what} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function checkCount(v: number | undefined, name: string): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`Animator: ${name} must be a positive integer, got ${v}`);
}

/**
 * d2l.Animator: plots data in animation. Each add() appends points and redraws ONE display in place
 * (update_display_data in Jupyter); outside Jupyter it prints throttled progress lines to stderr.
 */
export class Animator {
  /** x values per series, filled by add(). */
  X: number[][] | undefined;
  /** y values per series. */
  Y: number[][] | undefined;
  readonly axes: Axes;
  readonly fmts: string[];
  readonly width: number;
  readonly height: number;
  private handle: DisplayHandle | undefined;

  constructor(opts: AnimatorOptions = {}) {
    checkCount(opts.nrows, "nrows");
    checkCount(opts.ncols, "ncols");
    this.axes = axesFromOptions(opts, "Animator");
    this.fmts = opts.fmts ?? DEFAULT_FMTS;
    if (!Array.isArray(this.fmts) || this.fmts.length === 0) throw new Error(`Animator: fmts must be a non-empty array, got ${JSON.stringify(opts.fmts)}`);
    [this.width, this.height] = figurePixels(opts.figsize, "Animator");
  }

  /** Adds one point per series: add(epoch, [trainLoss, trainAcc, testAcc]); null/undefined values are skipped. */
  add(x: AnimatorValue | AnimatorValue[], y: AnimatorValue | AnimatorValue[]): void {
    const ys = Array.isArray(y) ? y : [y];
    const n = ys.length;
    const xs = Array.isArray(x) ? x : new Array<AnimatorValue>(n).fill(x);
    if (xs.length !== n) throw new Error(`Animator.add: got ${xs.length} x values for ${n} y values`);
    if (!this.X || !this.Y) {
      this.X = Array.from({ length: n }, () => []);
      this.Y = Array.from({ length: n }, () => []);
    }
    if (n > this.Y.length) throw new Error(`Animator.add: got ${n} y values but the first add() had ${this.Y.length}`);
    for (let i = 0; i < n; i++) {
      const a = toValue(xs[i], `x[${i}]`);
      const b = toValue(ys[i], `y[${i}]`);
      if (a !== null && b !== null) {
        this.X[i].push(a);
        this.Y[i].push(b);
      }
    }
    const bundle = figureBundle(this.figure(), this.summary());
    if (this.handle) this.handle.update(bundle);
    else this.handle = showBundle(bundle, { live: true });
  }

  /** The figure as it is now. */
  figure(): FigureSpec {
    const xs = this.X ?? [];
    const ys = this.Y ?? [];
    return {
      width: this.width,
      height: this.height,
      x: { label: this.axes.xlabel, scale: this.axes.xscale, lim: this.axes.xlim },
      y: { label: this.axes.ylabel, scale: this.axes.yscale, lim: this.axes.ylim },
      series: styleSeries(xs, ys, this.fmts, this.axes.legend),
      legend: this.axes.legend !== undefined,
    };
  }

  /** One line with the latest point of each series, e.g. "<Animator epoch 3: train loss 0.52, test acc 0.79>". */
  summary(): string {
    const xs = this.X ?? [];
    const ys = this.Y ?? [];
    const lastX = Math.max(-Infinity, ...xs.map((s) => (s.length > 0 ? s[s.length - 1] : -Infinity)));
    const parts = ys
      .map((s, i) => (s.length > 0 ? `${this.axes.legend?.[i] ?? `y${i}`} ${formatNumber(s[s.length - 1])}` : ""))
      .filter((p) => p !== "");
    const where = Number.isFinite(lastX) ? `${this.axes.xlabel || "x"} ${formatNumber(lastX)}` : "no points";
    return `<Animator ${where}: ${parts.join(", ")}>`;
  }
}
