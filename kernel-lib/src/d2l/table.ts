import { showBundle } from "../display/backend";
import { escapeXml } from "./svg/xml";

/** A table cell: numbers are shown with 4 significant digits (integers in full). */
export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  /** Column order; default: the keys in order of first appearance. */
  columns?: string[];
  /** Shown above the table. */
  title?: string;
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4)));
  return String(v);
}

function columnsOf(records: Record<string, Cell>[], opts: TableOptions): string[] {
  if (opts.columns) return opts.columns;
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function checkRecords(records: unknown): Record<string, Cell>[] {
  if (!Array.isArray(records) || !records.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    throw new Error("showTable: records must be an array of objects such as [{ epoch: 1, loss: 0.52 }]");
  }
  return records as Record<string, Cell>[];
}

/** The records as an aligned text table: header, rule, one row per record (numbers right-aligned). */
export function tableText(records: Record<string, Cell>[], opts: TableOptions = {}): string {
  const rows = checkRecords(records);
  const columns = columnsOf(rows, opts);
  const cells = rows.map((r) => columns.map((c) => cellText(r[c])));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"));
  const pad = (s: string, j: number) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines = [columns.map(pad).join("  "), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map((row) => row.map(pad).join("  "))];
  return [...(opts.title ? [opts.title] : []), ...lines.map((l) => l.trimEnd())].join("\n");
}

/** The records as an html table. */
export function tableHtml(records: Record<string, Cell>[], opts: TableOptions = {}): string {
  const rows = checkRecords(records);
  const columns = columnsOf(rows, opts);
  const numeric = columns.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"));
  const align = (j: number) => (numeric[j] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = columns.map((c, j) => `<th${align(j)}>${escapeXml(c)}</th>`).join("");
  const body = rows.map((r) => `<tr>${columns.map((c, j) => `<td${align(j)}>${escapeXml(cellText(r[c]))}</td>`).join("")}</tr>`).join("\n");
  const caption = opts.title ? `<caption>${escapeXml(opts.title)}</caption>` : "";
  return `<table class="d2l-table">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/**
 * Shows an array of records (e.g. per-epoch metrics) as one display: an html table with an aligned
 * text/plain fallback.  d2l.showTable([{ epoch: 1, "train loss": 0.52 }, { epoch: 2, "train loss": 0.41 }])
 */
export function showTable(records: Record<string, Cell>[], opts: TableOptions = {}): void {
  showBundle({ "text/html": tableHtml(records, opts), "text/plain": tableText(records, opts) }, { fullText: true });
}
