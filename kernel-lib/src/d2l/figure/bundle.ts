import { MimeBundle, PLOTLY_MIME } from "../../display/types";
import { renderSvg } from "../svg/render";
import { layoutFigure } from "./layout";
import { FigureSpec } from "./model";
import { plotlyFigure } from "./plotly";
import { formatNumber, fromAxis } from "./ticks";

function axisSummary(name: string, spec: FigureSpec["x"], range: [number, number]): string {
  const [lo, hi] = range.map((t) => formatNumber(fromAxis(t, spec.scale)));
  return `${name}: ${spec.label ? `${JSON.stringify(spec.label)} ` : ""}${spec.scale} [${lo}, ${hi}]`;
}

/** One line describing the figure, the text/plain of its bundle. */
export function figureSummary(spec: FigureSpec, title = "Figure"): string {
  const layout = layoutFigure(spec);
  const names = spec.series.map((s) => JSON.stringify(s.name)).join(", ");
  const count = `${spec.series.length} series${spec.legend && spec.series.length > 0 ? ` (${names})` : ""}`;
  return `<${title} ${spec.width}x${spec.height}px: ${count}; ${axisSummary("x", spec.x, layout.xRange)}; ${axisSummary("y", spec.y, layout.yRange)}>`;
}

/** The figure's mime bundle without text/html (the display backend adds it): plotly JSON, SVG and text. */
export function figureBundle(spec: FigureSpec, text?: string): MimeBundle {
  const layout = layoutFigure(spec);
  return {
    [PLOTLY_MIME]: plotlyFigure(spec, layout),
    "image/svg+xml": renderSvg(spec, layout),
    "text/plain": text ?? figureSummary(spec),
  };
}

