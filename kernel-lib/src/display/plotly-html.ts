/**
 * text/html for a plotly figure, for front ends without the plotly mime renderer (classic Notebook,
 * nbconvert HTML, JupyterLab without the extension). plotly.js comes from the installed
 * plotly.js-dist-min package, never a CDN.
 *
 * The library travels inline, once: the first figure html of a session carries it (wrapped so it defines
 * window.Plotly even under classic Notebook's requirejs), later figures wait for window.Plotly. The static
 * SVG sits inside the figure's div and is replaced when plotly draws, so untrusted or script-less viewers
 * (GitHub, sanitised html) still show the figure.
 */
import { nodeRequire } from "./node";
import { newDisplayId } from "./ids";
import { JsonValue, MimeBundle, PLOTLY_MIME } from "./types";

/** How the plotly.js library reaches the page: inline in this output, a script src, or already there. */
export type PlotlyLibrary = { kind: "inline" } | { kind: "src"; src: string } | { kind: "none" };

let cachedSource: string | undefined;

/** Absolute path of the installed plotly.min.js. */
export function plotlyLibraryPath(): string {
  const req = nodeRequire();
  if (!req) throw new Error("display: plotly.js-dist-min can only be read from disk under Node");
  return req.resolve("plotly.js-dist-min/plotly.min.js");
}

/** The installed plotly.min.js source text (read once). */
export function plotlyLibrarySource(): string {
  if (cachedSource === undefined) {
    const req = nodeRequire();
    if (!req) throw new Error("display: plotly.js-dist-min can only be read from disk under Node");
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
 */
export function inlinePlotlyScript(): string {
  const source = plotlyLibrarySource();
  if (/<\/script/i.test(source)) throw new Error("display: plotly.min.js contains '</script' and cannot be inlined");
  return (
    '<script type="text/javascript">(function (module, exports, define) {\n' +
    "if (window.Plotly) return;\n" +
    source +
    "\n})(undefined, undefined, undefined);</script>\n"
  );
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

/** The html fragment drawing `figure` with plotly, showing `fallbackSvg` until (or unless) plotly runs. */
export function plotlyFigureHtml(figure: JsonValue, fallbackSvg: string, library: PlotlyLibrary): string {
  const fig = asFigure(figure);
  const id = newDisplayId();
  const width = typeof fig.layout.width === "number" ? `width:${fig.layout.width}px;` : "";
  const height = typeof fig.layout.height === "number" ? `height:${fig.layout.height}px;` : "";
  const head =
    library.kind === "inline"
      ? inlinePlotlyScript()
      : library.kind === "src"
        ? `<script type="text/javascript" src="${library.src}"></script>\n`
        : "";
  return (
    head +
    `<div class="d2l-figure" id="${id}" style="${width}${height}">${fallbackSvg}</div>\n` +
    '<script type="text/javascript">(function () {\n' +
    `var fig = ${scriptJson(figure)};\n` +
    "var tries = 0;\n" +
    "function draw() {\n" +
    `  var el = document.getElementById(${JSON.stringify(id)});\n` +
    "  if (!el) return;\n" +
    "  if (!window.Plotly) { if (tries++ < 200) setTimeout(draw, 50); return; }\n" +
    '  el.innerHTML = "";\n' +
    "  window.Plotly.newPlot(el, fig.data, fig.layout, fig.config || {});\n" +
    "}\n" +
    "draw();\n" +
    "})();</script>"
  );
}

/**
 * Adds text/html to a bundle carrying a plotly figure and no html yet; other bundles are returned as they are.
 */
export function withFigureHtml(data: MimeBundle, library: PlotlyLibrary): MimeBundle {
  const figure = data[PLOTLY_MIME];
  if (figure === undefined || data["text/html"] !== undefined) return data;
  const svg = typeof data["image/svg+xml"] === "string" ? data["image/svg+xml"] : "";
  return { ...data, "text/html": plotlyFigureHtml(figure, svg, library) };
}

/**
 * Tracks whether this session's page already has plotly.js. The first figure display carries the library,
 * and so do all its later updates (so the saved notebook keeps it in that output).
 */
export class PlotlySession {
  private carrierId: string | undefined;

  libraryFor(displayId: string): PlotlyLibrary {
    if (this.carrierId === undefined) this.carrierId = displayId;
    return this.carrierId === displayId ? { kind: "inline" } : { kind: "none" };
  }

  /** Whether a display with this id carries the library. */
  isCarrier(displayId: string): boolean {
    return this.carrierId === displayId;
  }
}
