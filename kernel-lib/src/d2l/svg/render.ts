import { dashPattern } from "../figure/fmt";
import { FigureLayout, TICK_LENGTH, projector } from "../figure/layout";
import { FigureSpec, FONT_FAMILY, FONT_SIZE, GRID_COLOR, LINE_WIDTH, Series } from "../figure/model";
import { Tick } from "../figure/ticks";
import { isOpenMarker, markerPath } from "./markers";
import { escapeXml, num } from "./xml";

let clipCounter = 0;

function tickText(t: Tick, x: number, y: number, anchor: "middle" | "end"): string {
  const sup = t.sup !== undefined ? `<tspan dy="-0.45em" font-size="0.75em">${escapeXml(t.sup)}</tspan>` : "";
  return `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}">${escapeXml(t.label)}${sup}</text>`;
}

function seriesElements(s: Series, index: number, spec: FigureSpec, layout: FigureLayout): string {
  const { px, py } = projector(layout, spec);
  const ok = (x: number, y: number) =>
    Number.isFinite(x) && Number.isFinite(y) && (spec.x.scale !== "log" || x > 0) && (spec.y.scale !== "log" || y > 0);
  const parts: string[] = [];
  if (s.style.dash !== "none") {
    let d = "";
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      if (!ok(s.x[i], s.y[i])) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${num(px(s.x[i]))},${num(py(s.y[i]))}`;
      pen = true;
    }
    const dash = dashPattern(s.style.dash);
    parts.push(
      `<path class="series-line" d="${d}" fill="none" stroke="${s.style.color}" stroke-width="${LINE_WIDTH}"` +
        ` stroke-linejoin="round" stroke-linecap="${dash ? "butt" : "round"}"${dash ? ` stroke-dasharray="${dash.join(",")}"` : ""}/>`,
    );
  }
  const marker = s.style.marker;
  if (marker) {
    let d = "";
    for (let i = 0; i < s.x.length; i++) if (ok(s.x[i], s.y[i])) d += markerPath(marker, px(s.x[i]), py(s.y[i]));
    const open = isOpenMarker(marker);
    parts.push(`<path class="series-markers" d="${d}" fill="${open ? "none" : s.style.color}" stroke="${s.style.color}" stroke-width="1"/>`);
  }
  return `<g class="series" data-index="${index}" data-name="${escapeXml(s.name)}">${parts.join("")}</g>`;
}

function legendElements(spec: FigureSpec, layout: FigureLayout): string {
  const legend = layout.legend;
  if (!legend) return "";
  const { box, rowHeight, sampleWidth } = legend;
  const rows = legend.entries.map((e, row) => {
    const style = spec.series[e.series].style;
    const y = box.y + 3 + rowHeight * (row + 0.5);
    const x0 = box.x + 8;
    const dash = dashPattern(style.dash);
    const line =
      style.dash === "none"
        ? ""
        : `<line x1="${num(x0)}" y1="${num(y)}" x2="${num(x0 + sampleWidth)}" y2="${num(y)}" stroke="${style.color}"` +
          ` stroke-width="${LINE_WIDTH}"${dash ? ` stroke-dasharray="${dash.join(",")}"` : ""}/>`;
    const mark = style.marker
      ? `<path d="${markerPath(style.marker, x0 + sampleWidth / 2, y)}" fill="${isOpenMarker(style.marker) ? "none" : style.color}" stroke="${style.color}"/>`
      : "";
    const text = `<text x="${num(x0 + sampleWidth + 6)}" y="${num(y)}" dy="0.35em">${escapeXml(e.name)}</text>`;
    return `<g class="legend-entry">${line}${mark}${text}</g>`;
  });
  return (
    `<g class="legend" data-loc="${legend.corner}">` +
    `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="2"` +
    ` fill="white" fill-opacity="0.8" stroke="#cccccc" stroke-width="0.8"/>${rows.join("")}</g>`
  );
}

/** A self-contained SVG of the figure: frame, grid, ticks, tick labels, axis labels, lines and legend. */
export function renderSvg(spec: FigureSpec, layout: FigureLayout): string {
  const { plot } = layout;
  const { px, py } = projector(layout, spec);
  const clip = `d2l-clip-${(clipCounter += 1)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const bottom = plot.y + plot.height;
  const grid: string[] = [];
  const xAxis: string[] = [];
  const yAxis: string[] = [];
  for (const t of layout.xTicks) {
    const x = num(px(t.value));
    grid.push(`<line x1="${x}" y1="${num(plot.y)}" x2="${x}" y2="${num(bottom)}"/>`);
    xAxis.push(`<line x1="${x}" y1="${num(bottom)}" x2="${x}" y2="${num(bottom + TICK_LENGTH)}" stroke="black" stroke-width="0.8"/>`);
    xAxis.push(tickText(t, px(t.value), bottom + TICK_LENGTH + 2 + FONT_SIZE * 0.85, "middle"));
  }
  for (const t of layout.yTicks) {
    const y = num(py(t.value));
    grid.push(`<line x1="${num(plot.x)}" y1="${y}" x2="${num(plot.x + plot.width)}" y2="${y}"/>`);
    yAxis.push(`<line x1="${num(plot.x - TICK_LENGTH)}" y1="${y}" x2="${num(plot.x)}" y2="${y}" stroke="black" stroke-width="0.8"/>`);
    yAxis.push(tickText(t, plot.x - TICK_LENGTH - 3, py(t.value) + FONT_SIZE * 0.35, "end"));
  }
  const labels: string[] = [];
  if (spec.x.label) {
    const y = spec.height - 6;
    labels.push(`<text class="xlabel" x="${num(plot.x + plot.width / 2)}" y="${num(y)}" text-anchor="middle">${escapeXml(spec.x.label)}</text>`);
  }
  if (spec.y.label) {
    const x = 6 + FONT_SIZE * 0.8;
    const y = plot.y + plot.height / 2;
    labels.push(
      `<text class="ylabel" x="${num(x)}" y="${num(y)}" text-anchor="middle" transform="rotate(-90 ${num(x)} ${num(y)})">${escapeXml(spec.y.label)}</text>`,
    );
  }
  const rect = `x="${num(plot.x)}" y="${num(plot.y)}" width="${num(plot.width)}" height="${num(plot.height)}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}"` +
    ` font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<rect width="${spec.width}" height="${spec.height}" fill="white"/>` +
    `<defs><clipPath id="${clip}"><rect ${rect}/></clipPath></defs>` +
    `<g class="grid" stroke="${GRID_COLOR}" stroke-width="0.8">${grid.join("")}</g>` +
    `<g class="lines" clip-path="url(#${clip})">${spec.series.map((s, i) => seriesElements(s, i, spec, layout)).join("")}</g>` +
    `<rect class="frame" ${rect} fill="none" stroke="black" stroke-width="0.8"/>` +
    `<g class="xaxis" data-scale="${spec.x.scale}">${xAxis.join("")}</g>` +
    `<g class="yaxis" data-scale="${spec.y.scale}">${yAxis.join("")}</g>` +
    labels.join("") +
    legendElements(spec, layout) +
    `</svg>`
  );
}

