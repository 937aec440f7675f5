/**
 * Download progress in a notebook: a ProgressReporter (the datasets' pluggable hook) that draws ONE live
 * display per download, one bar per file, updated in place.
 *
 * Files that follow each other (a file starts while another runs or within `joinWindowMs` of the previous one
 * finishing, as the four Fashion-MNIST files do) share a display; a failure closes it, so the next download
 * gets a new one.
 */
import { formatBytes, setProgressReporter } from "../datasets/progress";
import type { ProgressEvent, ProgressReporter } from "../datasets/progress";
import { showBundle } from "./backend";
import { inTslabKernel } from "./bundle";
import { ProgressRow, progressBundle } from "./progress-view";
import type { DisplayHandle, MimeBundle, ShowOptions } from "./types";

export interface NotebookProgressOptions {
  /** clock in milliseconds (default Date.now); tests inject their own */
  now?: () => number;
  /** least time between two redraws for "progress" events (default 250 ms, four a second); start, done and error always redraw */
  intervalMs?: number;
  /** a file starting this soon after the previous one finished joins its display (default 2000 ms) */
  joinWindowMs?: number;
  /** where displays go (default showBundle: the current display backend) */
  show?: (data: MimeBundle, options: ShowOptions) => DisplayHandle;
}

interface FileRow {
  file: string;
  received: number;
  total: number | null;
  startedAt: number;
  endedAt: number | null;
  state: ProgressRow["state"];
  message?: string;
}

interface Group {
  handle: DisplayHandle | null;
  rows: FileRow[];
  closed: boolean;
  lastEndAt: number;
  lastDrawAt: number;
}

function toRow(r: FileRow, now: number): ProgressRow {
  const seconds = ((r.endedAt ?? now) - r.startedAt) / 1000;
  return {
    label: r.file,
    done: r.received,
    total: r.total,
    unit: "bytes",
    rate: seconds > 0 ? r.received / seconds : null,
    state: r.state,
    message: r.message,
  };
}

function titleOf(rows: FileRow[]): string {
  const failed = rows.find((r) => r.state === "error");
  const bytes = formatBytes(rows.reduce((s, r) => s + r.received, 0));
  const done = rows.filter((r) => r.state === "done").length;
  const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
  if (failed) return `Download failed: ${failed.file}: ${failed.message ?? "unknown error"}`;
  if (done === rows.length) return `Downloaded ${files(done)} (${bytes}), verified`;
  return `Downloading: ${done} of ${files(rows.length)} done, ${bytes} received`;
}

/** A reporter that shows downloads as live notebook displays (through the current display backend). */
export function notebookProgressReporter(options: NotebookProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 250;
  const joinWindowMs = options.joinWindowMs ?? 2000;
  const show = options.show ?? showBundle;
  let group: Group | null = null;

  const groupFor = (t: number): Group => {
    // a display stays open while one of its files is running or one finished within the join window
    const joinable =
      group !== null && !group.closed && (group.rows.some((r) => r.state === "running") || t - group.lastEndAt <= joinWindowMs);
    if (!joinable) group = { handle: null, rows: [], closed: false, lastEndAt: t, lastDrawAt: -Infinity };
    return group as Group;
  };

  const draw = (g: Group, t: number): void => {
    const data = progressBundle(titleOf(g.rows), g.rows.map((r) => toRow(r, t)));
    g.lastDrawAt = t;
    if (g.handle === null) g.handle = show(data, { live: true });
    else g.handle.update(data);
  };

  /** The row of `file` in the current group; a file not seen yet (a start, or an error before any byte) gets a new row. */
  const rowOf = (file: string, t: number, fresh: boolean): [Group, FileRow] => {
    const current = group;
    if (!fresh && current !== null) {
      const existing = current.rows.find((r) => r.file === file && r.state === "running");
      if (existing) return [current, existing];
    }
    const g = groupFor(t);
    const row: FileRow = { file, received: 0, total: null, startedAt: t, endedAt: null, state: "running" };
    g.rows.push(row);
    return [g, row];
  };

  return (ev: ProgressEvent) => {
    const t = now();
    if (ev.kind === "start") {
      const [g, row] = rowOf(ev.file, t, true);
      row.total = ev.totalBytes;
      draw(g, t);
    } else if (ev.kind === "progress") {
      const [g, row] = rowOf(ev.file, t, false);
      row.received = ev.receivedBytes;
      row.total = ev.totalBytes;
      if (g.handle === null || t - g.lastDrawAt >= intervalMs) draw(g, t);
    } else if (ev.kind === "done") {
      const [g, row] = rowOf(ev.file, t, false);
      row.received = ev.receivedBytes;
      if (row.total === null) row.total = ev.receivedBytes;
      row.state = "done";
      row.endedAt = t;
      g.lastEndAt = t;
      draw(g, t);
    } else {
      const [g, row] = rowOf(ev.file, t, false);
      row.state = "error";
      row.message = ev.message;
      row.endedAt = t;
      g.closed = true;
      draw(g, t);
    }
  };
}

let installed = false;

/**
 * Makes downloads report to a notebook display when kernel-lib runs inside a tslab kernel (called once when
 * kernel-lib is imported). Elsewhere (plain Node, vitest) it does nothing and the stderr reporter stays.
 * Returns whether it installed the reporter now.
 */
export function installNotebookProgress(): boolean {
  if (installed || !inTslabKernel()) return false;
  setProgressReporter(notebookProgressReporter());
  installed = true;
  return true;
}
