import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { d2l } from "../kernel-lib/src/index";
import { PLOTLY_MIME } from "../kernel-lib/src/display/types";
import { showBundle } from "../kernel-lib/src/display/backend";
import { findAll, parseSvg, tensor1d } from "./helpers/display";

interface PlotlyJson {
  data: { name: string; mode: string; line: { color: string; dash: string } }[];
  layout: { width: number; height: number; xaxis: { title: { text: string }; type: string; range: number[] }; yaxis: { title: { text: string }; type: string; range: number[] }; showlegend: boolean };
}

const xs = Array.from({ length: 160 }, (_, i) => -8 + i * 0.1);

function figJsonInHtml(html: string): unknown {
  const m = /var fig = (.*);\n/.exec(html);
  if (!m) throw new Error("no figure JSON in html");
  return JSON.parse(m[1]);
}

afterEach(() => {
  d2l.setDisplayBackend("auto");
});

describe("figure mime bundle", () => {
  it("has plotly JSON, html, SVG and text describing the same figure", () => {
    const mem = d2l.captureDisplays();
    const x = tensor1d(xs);
    d2l.plot(x, [tensor1d(xs.map((v) => Math.max(0, v))), xs.map((v) => 1 / (1 + Math.exp(-v)))], "x", "f(x)", {
      legend: ["relu", "sigmoid"],
      figsize: [5, 2.5],
    });
    expect(mem.displays).toHaveLength(1);
    const data = mem.displays[0].data;
    expect(Object.keys(data).sort()).toEqual([PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"].sort());

    const fig = data[PLOTLY_MIME] as unknown as PlotlyJson;
    expect(fig.data).toHaveLength(2);
    expect(fig.data.map((t) => t.name)).toEqual(["relu", "sigmoid"]);
    expect(fig.data[1].line.color).toBe("#bf00bf"); // 'm--'
    expect(fig.data[1].line.dash).toMatch(/px,/);
    expect(fig.layout.width).toBe(500);
    expect(fig.layout.height).toBe(250);
    expect(fig.layout.xaxis.title.text).toBe("x");
    expect(fig.layout.yaxis.title.text).toBe("f(x)");
    expect(fig.layout.showlegend).toBe(true);

    const svg = parseSvg(data["image/svg+xml"] as string);
    const root = findAll(svg, "svg")[0];
    expect(root["@width"]).toBe("500");
    const groups = findAll(svg, "g").filter((g) => g["@class"] === "series");
    expect(groups).toHaveLength(2);
    const texts = findAll(svg, "text");
    const textOf = (cls: string) => texts.filter((t) => t["@class"] === cls).map((t) => t["#text"]);
    expect(textOf("xlabel")).toEqual(["x"]);
    expect(textOf("ylabel")).toEqual(["f(x)"]);
    const legendTexts = findAll(findAll(svg, "g").filter((g) => g["@class"] === "legend"), "text").map((t) => t["#text"]);
    expect(legendTexts).toEqual(["relu", "sigmoid"]);

    const html = data["text/html"] as string;
    expect(figJsonInHtml(html)).toEqual(fig);
    expect(html).toContain(data["image/svg+xml"] as string); // static fallback inside the html
    expect(html).not.toMatch(/cdn\.plot\.ly|<script[^>]* src=/);

    const text = data["text/plain"] as string;
    expect(text.split("\n")).toHaveLength(1);
    expect(text).toContain("2 series");
    expect(text).toContain('"x"');
    expect(text).toContain('"f(x)"');
  });

  it("marks log axes in all renderings", () => {
    const mem = d2l.captureDisplays();
    const n = [1, 2, 5, 10, 20, 50, 100, 1000];
    d2l.plot(n, n.map((v) => 1 / v), "n", "error", { xscale: "log", yscale: "log" });
    const data = mem.displays[0].data;
    const fig = data[PLOTLY_MIME] as unknown as PlotlyJson;
    expect(fig.layout.xaxis.type).toBe("log");
    expect(fig.layout.yaxis.type).toBe("log");
    // plotly log ranges are log10 of the data range with 5% margins
    expect(fig.layout.xaxis.range[0]).toBeCloseTo(-0.15, 6);
    expect(fig.layout.xaxis.range[1]).toBeCloseTo(3.15, 6);
    const svg = parseSvg(data["image/svg+xml"] as string);
    const axes = findAll(svg, "g").filter((g) => g["@class"] === "xaxis" || g["@class"] === "yaxis");
    expect(axes.map((g) => g["@data-scale"])).toEqual(["log", "log"]);
    const xTicks = findAll(axes[0], "text").map((t) => `${t["#text"]}^${findAll(t, "tspan")[0]?.["#text"]}`);
    expect(xTicks).toEqual(["10^0", "10^1", "10^2", "10^3"]);
    expect(data["text/plain"]).toMatch(/x: "n" log \[0\.7079, 1413\]/);
  });

  it("plotly.js comes once per session, in a loader display of its own before the first figure", () => {
    const mem = d2l.captureDisplays({ inlinePlotly: true });
    const animator = new d2l.Animator({ legend: ["a"] });
    animator.add(1, 0.5);
    animator.add(2, 0.4);
    d2l.plot([1, 2, 3], [3, 1, 2]);
    const [loader, first, second] = mem.displays;
    expect(mem.displays).toHaveLength(3);
    const library = "window.Plotly = Plotly";
    expect(Object.keys(loader.data).sort()).toEqual(["text/html", "text/plain"]);
    expect(loader.data["text/plain"]).toBe("");
    expect((loader.data["text/html"] as string).length).toBeGreaterThan(1_000_000);
    expect(loader.data["text/html"]).toContain(library);
    expect(loader.data["text/html"]).toContain("(function (module, exports, define) {");
    expect(loader.updates).toEqual([]);
    for (const bundle of [first.data, ...first.updates, second.data]) {
      expect(bundle["text/html"]).not.toContain(library);
      expect(bundle["text/html"]).toContain("window.Plotly.newPlot");
      expect((bundle["text/html"] as string).length).toBeLessThan(50_000);
    }
    expect(first.updates).toHaveLength(1);
  });

  it("a figure with traces the bundled plotly.js cannot draw gets no html, so its SVG shows", () => {
    const mem = d2l.captureDisplays({ inlinePlotly: true });
    const heatmap = { data: [{ type: "heatmap", z: [[1, 2], [3, 4]] }], layout: {} };
    showBundle({ [PLOTLY_MIME]: heatmap, "image/svg+xml": "<svg></svg>", "text/plain": "<heatmap>" });
    expect(mem.displays).toHaveLength(1); // and no plotly.js loader for it
    expect(Object.keys(mem.displays[0].data).sort()).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"].sort());
  });
});

describe("outside Jupyter", () => {
  it("never loads tslab", () => {
    d2l.setDisplayBackend("auto");
    expect(d2l.getDisplayBackend().name).toBe("text");
    const loaded = Object.keys(require.cache).filter((k) => /[\\/]tslab[\\/]/.test(k));
    expect(loaded).toEqual([]);
  });

  it("text backend prints one line per plot and throttles Animator progress on stderr", () => {
    const out: string[] = [];
    const err: string[] = [];
    const so = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    const se = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    try {
      d2l.setDisplayBackend("text");
      d2l.plot([1, 2, 3], [[1, 2, 3], [3, 2, 1]], "epoch", "loss");
      const animator = new d2l.Animator({ xlabel: "epoch", legend: ["train loss", "test acc"] });
      for (let epoch = 1; epoch <= 200; epoch++) animator.add(epoch, [1 / epoch, 1 - 1 / epoch]);
    } finally {
      so.mockRestore();
      se.mockRestore();
    }
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^<Figure 350x250px: 2 series; x: "epoch" linear .*; y: "loss" linear .*>\n$/);
    expect(err.length).toBeGreaterThanOrEqual(1);
    expect(err.length).toBeLessThanOrEqual(3);
    expect(err[0]).toBe("<Animator epoch 1: train loss 1, test acc 0>\n");
  });

  it("file backend writes SVG, a standalone HTML page with plotly.js next to it, and text", () => {
    const dir = mkdtempSync(join(tmpdir(), "d2l-display-"));
    const so = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      d2l.setDisplayBackend("file", dir);
      d2l.plot([0, 1, 2], [0, 1, 4], "x", "x^2");
      const animator = new d2l.Animator({ legend: ["loss"] });
      animator.add(1, 1);
      animator.add(2, 0.5);
    } finally {
      so.mockRestore();
    }
    expect(readdirSync(dir).sort()).toEqual(
      ["display-001.html", "display-001.svg", "display-001.txt", "display-002.html", "display-002.svg", "display-002.txt", "plotly.min.js"].sort(),
    );
    const html = readFileSync(join(dir, "display-001.html"), "utf8");
    expect(html).toContain('<script type="text/javascript" src="plotly.min.js"></script>');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    parseSvg(readFileSync(join(dir, "display-001.svg"), "utf8"));
    // the Animator's files hold its latest state
    expect(readFileSync(join(dir, "display-002.txt"), "utf8")).toBe("<Animator x 2: loss 0.5>\n");
  });

  it("rejects unknown backends and a file backend without a directory", () => {
    expect(() => d2l.setDisplayBackend("bogus" as "text")).toThrow(/unknown backend "bogus"/);
    expect(() => d2l.setDisplayBackend("file", "")).toThrow(/a directory is required/);
    expect(() => d2l.setDisplayBackend("jupyter")).toThrow(/not running inside a tslab Jupyter kernel/);
  });
});
