import { formatBytes } from "../datasets/progress";
import type { MimeBundle } from "./types";

/** One bar of a progress display: a file being downloaded or a loop being run. */
export interface ProgressRow {
  label: string;
  /** bytes received or items done */
  done: number;
  /** null when the total is unknown (the bar is then indeterminate) */
  total: number | null;
  unit: "bytes" | "items";
  /** per second; null before any time has passed */
  rate: number | null;
  state: "running" | "done" | "error";
  /** the error, for state "error" */
  message?: string;
}

function amount(row: ProgressRow, n: number): string {
  return row.unit === "bytes" ? formatBytes(n) : String(n);
}

function percent(row: ProgressRow): string | null {
  if (row.total === null || row.total <= 0) return null;
  return `${Math.floor((100 * Math.min(row.done, row.total)) / row.total)}%`;
}

function rateText(row: ProgressRow): string {
  if (row.rate === null || !Number.isFinite(row.rate)) return "";
  return row.unit === "bytes" ? `${formatBytes(Math.round(row.rate))}/s` : `${row.rate < 10 ? row.rate.toFixed(2) : row.rate.toFixed(1)} it/s`;
}

function sizeText(row: ProgressRow): string {
  return row.total === null ? amount(row, row.done) : `${amount(row, row.done)}/${amount(row, row.total)}`;
}

function stateText(row: ProgressRow): string {
  if (row.state === "done") return "done";
  if (row.state === "error") return `failed: ${row.message ?? "unknown error"}`;
  return "";
}

/** `name [#######.......]  45% 11.9 MiB/26.4 MiB 5.2 MiB/s`, then the state. */
export function progressRowText(row: ProgressRow, width = 30): string {
  const pct = percent(row);
  const frac = row.total !== null && row.total > 0 ? Math.min(1, row.done / row.total) : row.state === "done" ? 1 : 0;
  const filled = Math.round(frac * width);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  return [row.label, bar, pct === null ? "" : pct.padStart(4), sizeText(row), rateText(row), stateText(row)].filter((s) => s !== "").join(" ");
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]);
}

const CELL = "padding:1px 8px 1px 0;text-align:left;white-space:nowrap;border:none";

function rowHtml(row: ProgressRow): string {
  // <progress> without value is the indeterminate bar; the value is clamped so a bar never overflows
  const value = row.total !== null && row.total > 0 ? ` value="${Math.min(row.done, row.total)}" max="${row.total}"` : row.state === "done" ? ' value="1" max="1"' : "";
  const state =
    row.state === "error"
      ? `<span style="color:#c62828">${escapeHtml(stateText(row))}</span>`
      : row.state === "done"
        ? `<span style="color:#2e7d32">&#10003; done</span>`
        : "";
  const cells = [
    `<code>${escapeHtml(row.label)}</code>`,
    `<progress${value} style="width:18em"></progress>`,
    percent(row) ?? "",
    sizeText(row),
    rateText(row),
    state,
  ];
  return `<tr>${cells.map((c) => `<td style="${CELL}">${c}</td>`).join("")}</tr>`;
}

/**
 * A progress display's bundle: text/html (a table with one <progress> bar per row) and text/plain (a title
 * line when given, then one text bar per row). Text backends show only the first line, so the title is the
 * summary there.
 */
export function progressBundle(title: string | null, rows: ProgressRow[]): MimeBundle {
  const width = Math.max(0, ...rows.map((r) => r.label.length));
  const lines = rows.map((r) => progressRowText({ ...r, label: r.label.padEnd(width) }));
  const text = title === null ? lines.join("\n") : [title, ...lines.map((l) => `  ${l}`)].join("\n");
  const caption = title === null ? "" : `<div style="margin-bottom:2px">${escapeHtml(title)}</div>`;
  const html = `<div class="kernel-lib-progress">${caption}<table style="border-collapse:collapse;margin:0">${rows.map(rowHtml).join("")}</table></div>`;
  return { "text/html": html, "text/plain": text };
}
