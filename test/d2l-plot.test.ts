import { afterEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { parseFmt } from "../kernel-lib/src/d2l/figure/fmt";
import { layoutFigure } from "../kernel-lib/src/d2l/figure/layout";
import { axisTicks, niceStep } from "../kernel-lib/src/d2l/figure/ticks";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { findAll, parseSvg, tensor1d } from "./helpers/display";

afterEach(() => {
  d2l.setFigsize();
  d2l.setDisplayBackend("auto");
});

function svgOf(fn: () => void): Record<string, unknown> {
  const mem = d2l.captureDisplays();
  fn();
  return parseSvg(mem.displays[0].data["image/svg+xml"] as string);
}

describe("plot inputs, as d2l's plot reads them", () => {
  it("Y omitted plots X against its index", () => {
    const fig = d2l.plotFigure([3, 1, 2], undefined);
    expect(fig.series).toHaveLength(1);
    expect(fig.series[0].x).toEqual([0, 1, 2]);
    expect(fig.series[0].y).toEqual([3, 1, 2]);
  });

  it("one X series is shared by several Y series; tensors and arrays mix", () => {
    const x = tensor1d([0, 1, 2]);
    const fig = d2l.plotFigure(x, [tensor1d([1, 2, 3]), [4, 5, 6], Float64Array.from([7, 8, 9])]);
    expect(fig.series.map((s) => s.x)).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    expect(fig.series.map((s) => s.y)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it("a 2-D tensor is a list of row series; a column [n,1] is one series", () => {
    const rows = Tensor.fromTypedArray(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(d2l.plotFigure([0, 1, 2], rows).series.map((s) => s.y)).toEqual([[1, 2, 3], [4, 5, 6]]);
    const column = Tensor.fromTypedArray(Float32Array.from([1, 2, 3]), [3, 1]);
    expect(d2l.plotFigure([0, 1, 2], column).series.map((s) => s.y)).toEqual([[1, 2, 3]]);
  });

  it("default fmts are '-', 'm--', 'g-.', 'r:' and cycle after four series", () => {
    const fig = d2l.plotFigure([0, 1], [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
    expect(fig.series.map((s) => [s.style.color, s.style.dash])).toEqual([
      ["#1f77b4", "solid"],
      ["#bf00bf", "dash"],
      ["#008000", "dashdot"],
      ["#ff0000", "dot"],
      ["#9467bd", "solid"],
    ]);
  });

  it("labels may come positionally or in the options; figsize is inches at 100 px per inch", () => {
    const mem = d2l.captureDisplays();
    d2l.plot([0, 1], [0, 1], { xlabel: "a", ylabel: "b", figsize: [6, 3] });
    d2l.setFigsize([2, 1]);
    d2l.plot([0, 1], [0, 1], "c", null);
    const [a, b] = mem.displays.map((d) => d.data["text/plain"] as string);
    expect(a).toMatch(/^<Figure 600x300px: .*x: "a" .*y: "b" /);
    expect(b).toMatch(/^<Figure 200x100px: .*x: "c" linear .*; y: linear /);
  });

  it("throws errors that name the operation and the offending values", () => {
    expect(() => d2l.plotFigure([1, 2, 3], [1, 2])).toThrow("plot: series 0 has 3 x values and 2 y values");
    expect(() => d2l.plotFigure([[1, 2], [3, 4]], [[1, 2], [3, 4], [5, 6]])).toThrow("plot: got 2 X series for 3 Y series");
    expect(() => d2l.plotFigure(Tensor.fromTypedArray(new Float32Array(8), [2, 2, 2]), undefined)).toThrow("plot: X must be 1-D or 2-D, got shape [2,2,2]");
    expect(() => d2l.plotFigure([1, 2], [1, 2], { xscale: "symlog" as "log" })).toThrow('plot: xscale must be "linear" or "log", got "symlog"');
    expect(() => d2l.plotFigure([1, 2], [1, 2], { ylim: [1, Infinity] })).toThrow("plot: ylim must be [low, high] with two finite numbers, got [1,null]");
    expect(() => d2l.plotFigure([1, 2], [1, 2], { fmts: ["q-"] })).toThrow('plot: cannot read format string "q-": unexpected "q" at position 0');
    expect(() => d2l.plotFigure([1, 2], [1, 2], { figsize: [0, 2] })).toThrow("plot: figsize must be [width, height] in inches (positive numbers), got [0,2]");
    expect(() => d2l.plotFigure([1, 2], [1, 2], { xscale: "log", xlim: [-1, 2] })).not.toThrow();
    expect(() => layoutFigure(d2l.plotFigure([1, 2], [1, 2], { xscale: "log", xlim: [-1, 2] }))).toThrow("plot: xlim [-1, 2] is not a usable log range");
  });
});

describe("format strings", () => {
  it("read colour, line style and marker like matplotlib", () => {
    expect(parseFmt("-", 0)).toEqual({ color: "#1f77b4", dash: "solid" });
    expect(parseFmt("m--", 1)).toEqual({ color: "#bf00bf", dash: "dash" });
    expect(parseFmt("g-.", 2)).toEqual({ color: "#008000", dash: "dashdot" });
    expect(parseFmt("r:", 3)).toEqual({ color: "#ff0000", dash: "dot" });
    expect(parseFmt("bo-", 0)).toEqual({ color: "#0000ff", dash: "solid", marker: "circle" });
    expect(parseFmt("x", 1)).toEqual({ color: "#ff7f0e", dash: "none", marker: "x" });
    expect(parseFmt("C2--", 0)).toEqual({ color: "#2ca02c", dash: "dash" });
  });
});

describe("static SVG", () => {
  it("is valid XML with one line path per series, axis labels and a legend", () => {
    const x = Array.from({ length: 50 }, (_, i) => i / 10);
    const svg = svgOf(() => d2l.plot(x, [x.map(Math.sin), x.map(Math.cos), x.map((v) => v / 5)], "t", "value", { legend: ["sin", "cos", "t/5"] }));
    const lines = findAll(svg, "path").filter((p) => p["@class"] === "series-line");
    expect(lines).toHaveLength(3);
    expect(lines.map((p) => p["@stroke"])).toEqual(["#1f77b4", "#bf00bf", "#008000"]);
    expect(lines[0]["@stroke-dasharray"]).toBeUndefined();
    expect(lines[1]["@stroke-dasharray"]).toBe("5.55,2.4");
    // each path visits every point: one M and 49 L commands
    expect((lines[0]["@d"] as string).match(/[ML]/g)).toHaveLength(50);
    expect(findAll(svg, "g").filter((g) => g["@class"] === "legend-entry")).toHaveLength(3);
  });

  it("breaks a line at non-finite values and at non-positive values on a log axis", () => {
    const svg = svgOf(() => d2l.plot([1, 2, 3, 4, 5], [1, NaN, 3, 0, 5], "x", "y", { yscale: "log" }));
    const d = findAll(svg, "path").filter((p) => p["@class"] === "series-line")[0]["@d"] as string;
    expect(d.match(/M/g)).toHaveLength(3);
    expect(d.match(/L/g)).toBeNull();
  });

  it("draws markers for marker formats and escapes text", () => {
    const svg = svgOf(() => d2l.plot([1, 2, 3], [[1, 2, 3], [3, 2, 1]], "a<b & c", "y", { fmts: ["o", "r-x"], legend: ['"q"', "<p>"] }));
    const paths = findAll(svg, "path");
    expect(paths.filter((p) => p["@class"] === "series-line")).toHaveLength(1);
    expect(paths.filter((p) => p["@class"] === "series-markers")).toHaveLength(2);
  });

  it("places the legend in the emptiest corner", () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const rising = d2l.plotFigure(x, [x], { legend: ["rising"] });
    expect(layoutFigure(rising).legend?.corner).toBe("upper left");
    const falling = d2l.plotFigure(x, [x.map((v) => -v)], { legend: ["falling"] });
    expect(layoutFigure(falling).legend?.corner).toBe("upper right");
  });
});

describe("ticks", () => {
  it("use plotly's steps (2, 5 or 10 times a power of ten, rounded up) and decimals only as needed", () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(10, 4)).toBe(5);
    expect(niceStep(0.6, 6)).toBe(0.2);
    // 440 px wide: 5.5 + 1 intervals wanted over 17.6 -> 2.7 -> 5
    expect(axisTicks([-8.8, 8.8], "linear", 440, 80).map((t) => t.label)).toEqual(["-5", "0", "5"]);
    // 190 px high: 4.75 + 1 intervals over 0.6 -> 0.104 -> 0.2
    expect(axisTicks([0.3, 0.9], "linear", 190, 40).map((t) => t.label)).toEqual(["0.4", "0.6", "0.8"]);
    expect(axisTicks([-0.02, 0.05], "linear", 500, 40).map((t) => t.label)).toEqual(["-0.02", "-0.01", "0", "0.01", "0.02", "0.03", "0.04", "0.05"]);
  });

  it("use decades on multi-decade log axes and 1-2-5 values within one decade", () => {
    expect(axisTicks([-2.1, 0.2], "log", 200, 40).map((t) => `${t.label}^${t.sup}`)).toEqual(["10^-2", "10^-1", "10^0"]);
    expect(axisTicks([Math.log10(1.5), Math.log10(9)], "log", 200, 40).map((t) => t.label)).toEqual(["2", "5"]);
  });
});
