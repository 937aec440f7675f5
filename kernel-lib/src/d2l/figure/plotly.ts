import type { JsonValue } from "../../display/types";
import { dashPattern } from "./fmt";
import { FigureLayout } from "./layout";
import { AxisSpec, FigureSpec, FONT_FAMILY, FONT_SIZE, GRID_COLOR, LINE_WIDTH, Marker, Series } from "./model";
import { Tick } from "./ticks";

const SYMBOLS: Record<Marker, string> = {
  circle: "circle", point: "circle", square: "square", diamond: "diamond", "triangle-up": "triangle-up",
  "triangle-down": "triangle-down", "triangle-left": "triangle-left", "triangle-right": "triangle-right",
  plus: "cross-thin-open", x: "x-thin-open", star: "star",
};

/** Plotly has no NaN in JSON: non-finite values become null, which plotly draws as a gap. */
function values(vs: number[]): (number | null)[] {
  return vs.map((v) => (Number.isFinite(v) ? v : null));
}

function trace(s: Series): JsonValue {
  const dash = dashPattern(s.style.dash);
  const mode = s.style.dash === "none" ? "markers" : s.style.marker ? "lines+markers" : "lines";
  const t: { [key: string]: JsonValue } = {
    type: "scatter",
    mode,
    x: values(s.x),
    y: values(s.y),
    name: s.name,
    showlegend: s.name !== "",
    line: { color: s.style.color, width: LINE_WIDTH, dash: dash ? dash.map((v) => `${v}px`).join(",") : "solid" },
  };
  if (s.style.marker) t.marker = { symbol: SYMBOLS[s.style.marker], size: s.style.marker === "point" ? 4 : 7, color: s.style.color };
  return t;
}

function axis(spec: AxisSpec, range: [number, number], ticks: Tick[]): JsonValue {
  const a: { [key: string]: JsonValue } = {
    title: { text: spec.label, standoff: 6 },
    type: spec.scale,
    range,
    autorange: false,
    showgrid: true,
    gridcolor: GRID_COLOR,
    zeroline: false,
    showline: true,
    mirror: true,
    linecolor: "black",
    linewidth: 0.8,
    ticks: "outside",
    ticklen: 4,
    automargin: true,
  };
  if (spec.scale === "log") {
    // The same ticks as the SVG: decades as 10^k, otherwise 1-2-5 values.
    a.tickmode = "array";
    a.tickvals = ticks.map((t) => t.value);
    a.ticktext = ticks.map((t) => (t.sup !== undefined ? `${t.label}<sup>${t.sup}</sup>` : t.label));
  }
  return a;
}

const LEGEND_ANCHORS = {
  "upper right": { x: 0.99, y: 0.98, xanchor: "right", yanchor: "top" },
  "upper left": { x: 0.01, y: 0.98, xanchor: "left", yanchor: "top" },
  "lower left": { x: 0.01, y: 0.02, xanchor: "left", yanchor: "bottom" },
  "lower right": { x: 0.99, y: 0.02, xanchor: "right", yanchor: "bottom" },
};

/** The figure as application/vnd.plotly.v1+json: { data, layout, config }, with the SVG's ranges and legend corner. */
export function plotlyFigure(spec: FigureSpec, layout: FigureLayout): JsonValue {
  const { plot } = layout;
  const legend = layout.legend;
  return {
    data: spec.series.map(trace),
    layout: {
      width: spec.width,
      height: spec.height,
      margin: { l: plot.x, r: spec.width - plot.x - plot.width, t: plot.y, b: spec.height - plot.y - plot.height, pad: 0 },
      paper_bgcolor: "white",
      plot_bgcolor: "white",
      font: { family: FONT_FAMILY, size: FONT_SIZE, color: "black" },
      showlegend: legend !== undefined,
      legend: {
        ...(legend ? LEGEND_ANCHORS[legend.corner] : LEGEND_ANCHORS["upper right"]),
        bgcolor: "rgba(255,255,255,0.8)",
        bordercolor: "#cccccc",
        borderwidth: 0.8,
      },
      xaxis: axis(spec.x, layout.xRange, layout.xTicks),
      yaxis: axis(spec.y, layout.yRange, layout.yTicks),
    },
    config: { displaylogo: false, responsive: false },
  };
}
