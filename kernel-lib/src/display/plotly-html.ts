/**
 * text/html for a plotly figure, for front ends without the plotly mime renderer (classic Notebook,
 * nbconvert HTML, JupyterLab without the extension). plotly.js comes from the installed
 * plotly.js-basic-dist-min package (scatter, bar and pie traces, 1.1 MB; every d2l figure is scatter
 * traces), never a CDN.
 *
 * The library reaches a page once, in an output of its own: before the first figure of a session the
 * backend shows the loader (`plotlyLoaderBundle`, a script that defines window.Plotly even under classic
 * Notebook's requirejs). Figure html never carries the library, so a figure and each Animator update stay
 * a few tens of KB; its script waits for window.Plotly. The static SVG sits inside the figure's div and
 * is replaced when plotly draws, so untrusted or script-less viewers (GitHub, sanitised html) and a page
 * whose loader output was cleared still show the figure.
 */
import { nodeRequire } from "./node";
import { newDisplayId } from "./ids";
import { JsonValue, MimeBundle, PLOTLY_MIME } from "./types";

/**
 * How a figure's html gets plotly.js: a script src next to it (standalone pages), or from the page
 * (the session's loader output, or any other script that set window.Plotly).
 */
export type PlotlyLibrary = { kind: "src"; src: string } | { kind: "page" };

/** Marks the loader's script element, so tools and tests can find the output that carries plotly.js. */
export const PLOTLY_LOADER_ATTRIBUTE = "data-kernel-lib-plotly";

let cachedSource: string | undefined;

/** The npm package and file of the plotly.js bundle figures are drawn with. */
export const PLOTLY_LIBRARY_MODULE = "plotly.js-basic-dist-min/plotly-basic.min.js";

/** Absolute path of the installed plotly.js bundle. */
export function plotlyLibraryPath(): string {
  const req = nodeRequire();
  if (!req) throw new Error("display: plotly.js can only be read from disk under Node");
  return req.resolve(PLOTLY_LIBRARY_MODULE);
}

/** The installed plotly.js source text (read once). */
export function plotlyLibrarySource(): string {
  if (cachedSource === undefined) {
    const req = nodeRequire();
    if (!req) throw new Error("display: plotly.js can only be read from disk under Node");
    const fs = req("fs") as typeof import("fs");
    cachedSource = fs.readFileSync(plotlyLibraryPath(), "utf8");
  }
  return cachedSource;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: JsonValue): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The inline library script. `module`, `exports` and `define` are shadowed so the UMD wrapper neither
 * exports to a CommonJS shim nor registers an anonymous AMD module with requirejs; it sets window.Plotly.
 * A page that already has plotly (the loader shown again after a re-run) skips evaluating the library again.
 */
export function inlinePlotlyScript(): string {
  const source = plotlyLibrarySource();
  if (/<\/script/i.test(source)) throw new Error(`display: ${PLOTLY_LIBRARY_MODULE} contains '</script' and cannot be inlined`);
  return (
    `<script type="text/javascript" ${PLOTLY_LOADER_ATTRIBUTE}="loader">(function (module, exports, define) {\n` +
    "if (window.Plotly) return;\n" +
    source +
    "\n})(undefined, undefined, undefined);</script>\n"
  );
}

/**
 * The output that brings plotly.js to the page: text/html holding only the library script (it renders as
 * nothing) and an empty text/plain, so text front ends show no line for it either.
 */
export function plotlyLoaderBundle(): MimeBundle {
  return { "text/html": inlinePlotlyScript(), "text/plain": "" };
}

interface PlotlyFigureJson {
  data: JsonValue;
  layout: { [key: string]: JsonValue | undefined };
  config?: JsonValue;
}

function asFigure(value: JsonValue): PlotlyFigureJson {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("data" in value) || !("layout" in value)) {
    throw new Error(`display: ${PLOTLY_MIME} must be an object with data and layout`);
  }
  return value as unknown as PlotlyFigureJson;
}

/**
 * The html fragment drawing `figure` with plotly, showing `fallbackSvg` until (or unless) plotly runs.
 *
 * The script polls (every 50 ms, for at most 30 s) because both the element and the library may arrive
 * after it runs: classic Notebook evaluates an output's scripts before attaching the output to the
 * document, and on a reopened notebook the loader output may sit in a later cell. It stops as soon as
 * its element, once seen, is gone (an Animator update replaced it, or the output was cleared).
 */
export function plotlyFigureHtml(figure: JsonValue, fallbackSvg: string, library: PlotlyLibrary): string {
  const fig = asFigure(figure);
  const id = newDisplayId();
  const width = typeof fig.layout.width === "number" ? `width:${fig.layout.width}px;` : "";
  const height = typeof fig.layout.height === "number" ? `height:${fig.layout.height}px;` : "";
  const head = library.kind === "src" ? `<script type="text/javascript" src="${library.src}"></script>\n` : "";
  return (
    head +
    `<div class="d2l-figure" id="${id}" style="${width}${height}">${fallbackSvg}</div>\n` +
    '<script type="text/javascript">(function () {\n' +
    `var fig = ${scriptJson(figure)};\n` +
    "var tries = 0, seen = false;\n" +
    "function draw() {\n" +
    `  var el = document.getElementById(${JSON.stringify(id)});\n` +
    "  if (el && window.Plotly) {\n" +
    '    el.innerHTML = "";\n' +
    "    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config || {});\n" +
    "    return;\n" +
    "  }\n" +
    "  if (el) seen = true;\n" +
    "  else if (seen) return;\n" +
    "  if (tries++ < 600) setTimeout(draw, 50);\n" +
    "}\n" +
    "draw();\n" +
    "})();</script>"
  );
}

/** The trace types plotly.js-basic-dist-min draws. */
const BUNDLED_TRACE_TYPES = new Set(["scatter", "bar", "pie"]);

/** Whether the bundled plotly.js can draw every trace of `figure` (a trace without a type is scatter). */
function drawableByBundle(figure: PlotlyFigureJson): boolean {
  if (!Array.isArray(figure.data)) return false;
  return figure.data.every((t) => {
    if (typeof t !== "object" || t === null || Array.isArray(t)) return false;
    return t.type === undefined || (typeof t.type === "string" && BUNDLED_TRACE_TYPES.has(t.type));
  });
}

/** Whether `withFigureHtml` adds plotly html to this bundle (and so the page needs plotly.js). */
export function getsFigureHtml(data: MimeBundle): boolean {
  const figure = data[PLOTLY_MIME];
  return figure !== undefined && data["text/html"] === undefined && drawableByBundle(asFigure(figure));
}

/**
 * Adds text/html to a bundle carrying a plotly figure and no html yet; other bundles are returned as they
 * are. A figure with trace types the bundled plotly.js lacks (a hand-made heatmap, say) gets no html, so
 * front ends show its other types (SVG, or the plotly mime in JupyterLab) instead of an empty plot.
 */
export function withFigureHtml(data: MimeBundle, library: PlotlyLibrary): MimeBundle {
  const figure = data[PLOTLY_MIME];
  if (!getsFigureHtml(data) || figure === undefined) return data;
  const svg = typeof data["image/svg+xml"] === "string" ? data["image/svg+xml"] : "";
  return { ...data, "text/html": plotlyFigureHtml(figure, svg, library) };
}

/**
 * Whether this session already showed the plotly.js loader. A kernel process is one session: the first
 * figure is preceded by the loader output; a restarted kernel shows it again with its first figure.
 */
export class PlotlySession {
  private shown = false;

  /** True exactly once: when the loader must be shown before the figure about to be displayed. */
  needsLoader(): boolean {
    if (this.shown) return false;
    this.shown = true;
    return true;
  }
}
