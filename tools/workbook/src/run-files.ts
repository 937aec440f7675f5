import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CellEvent, executeNotebook, NotebookRun, NotebookStatus } from "./execute";
import { checkWritableDir, OutputError } from "./files";
import { NotebookError, readNotebook, writeNotebook } from "./notebook-io";
import type { Parameters } from "./parameters";

export interface RunFilesOptions {
  /** Folder for executed notebooks (same file names); ignored with inplace. */
  outDir?: string;
  /** Overwrite each input with its executed version. */
  inplace?: boolean;
  parameters?: Parameters;
  /** Inject each notebook's quick-mode values (metadata.workbook.quick) before `parameters`. */
  quick?: boolean;
  cellTimeoutMs?: number;
  notebookTimeoutMs?: number;
  /** Notebooks run at the same time, each on its own kernel (default: number of cores). */
  jobs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * "invalid": the file could not be read as one of our notebooks (missing, bad JSON, other kernel, bad --set).
 * "write-failed": it ran, but its executed notebook could not be written (a folder in the way, permissions).
 */
export type FileStatus = NotebookStatus | "invalid" | "write-failed";

export interface FileResult {
  file: string;
  status: FileStatus;
  /** Where the executed notebook was written (absent for invalid files). */
  output?: string;
  /** Code cells that ran successfully, and all non-empty code cells. */
  cellsOk: number;
  cellsTotal: number;
  elapsedMs: number;
  /** One line: which cell failed and why, or why the file is invalid. */
  message?: string;
  run?: NotebookRun;
}

/**
 * Runs notebook files in parallel (each notebook's cells in order, on its own kernel whose working
 * directory is the notebook's folder) and writes each executed notebook, also when it failed part way.
 */
export async function runNotebookFiles(files: string[], options: RunFilesOptions = {}): Promise<FileResult[]> {
  const outDir = options.inplace ? undefined : path.resolve(options.outDir ?? ".out/notebooks");
  checkDistinctNames(files, options.inplace);
  if (outDir) checkWritableDir(outDir); // OutputError: one line, before anything runs
  const results: FileResult[] = new Array(files.length);
  const jobs = Math.max(1, Math.min(options.jobs ?? os.cpus().length, files.length));
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await runOne(files[i], outDir, options);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

async function runOne(file: string, outDir: string | undefined, options: RunFilesOptions): Promise<FileResult> {
  const started = Date.now();
  const name = path.basename(file);
  const log = options.log ?? (() => undefined);
  try {
    const nb = readNotebook(file);
    log(`${name}: starting kernel`);
    const onCell = (e: CellEvent) => {
      if (e.phase === "start") log(`${name}: cell ${e.position}/${e.total} [${e.index}] ${clip(e.firstLine, 60)}  (${seconds(Date.now() - started)})`);
    };
    const output = outDir ? path.join(outDir, name) : file;
    let saveError: string | undefined;
    const save = (notebook: typeof nb) => {
      try {
        writeNotebook(output, notebook);
        saveError = undefined;
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        saveError = e.message;
      }
    };
    const run = await executeNotebook(nb, {
      name: file,
      cwd: path.dirname(path.resolve(file)),
      env: options.env,
      parameters: options.parameters,
      quick: options.quick,
      cellTimeoutMs: options.cellTimeoutMs,
      notebookTimeoutMs: options.notebookTimeoutMs,
      signal: options.signal,
      onCell,
      // Saved after every cell (temp file and rename), so a runner killed with SIGKILL leaves what ran.
      // In place, the input is only replaced once the run is over.
      onProgress: options.inplace ? undefined : save,
    });
    save(run.notebook);
    const f = run.failure;
    const failed = f ? (f.index < 0 ? f.message : `cell ${f.index} \`${clip(f.firstLine, 50)}\`: ${f.message}`) : undefined;
    const message = saveError ? (failed ? `${saveError}; ${failed}` : saveError) : failed;
    log(`${name}: ${saveError ? "write-failed" : run.status} in ${seconds(run.elapsedMs)}${message ? ` — ${message}` : ""}`);
    return {
      file,
      status: saveError ? "write-failed" : run.status,
      output: saveError ? undefined : output,
      cellsOk: run.cells.filter((c) => c.status === "ok").length,
      cellsTotal: run.cells.length,
      elapsedMs: Date.now() - started,
      message,
      run,
    };
  } catch (e) {
    if (!(e instanceof NotebookError)) throw e;
    return { file, status: "invalid", cellsOk: 0, cellsTotal: 0, elapsedMs: Date.now() - started, message: e.message };
  }
}

function checkDistinctNames(files: string[], inplace: boolean | undefined): void {
  if (inplace) return;
  const seen = new Map<string, string>();
  for (const f of files) {
    const b = path.basename(f);
    const prev = seen.get(b);
    if (prev !== undefined && path.resolve(prev) !== path.resolve(f)) {
      throw new NotebookError(`${prev} and ${f} would both be written as ${b}; run them separately or use --inplace`);
    }
    seen.set(b, f);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

/** The table printed after a run. */
export function summaryTable(results: FileResult[]): string {
  const rows = results.map((r) => [
    path.basename(r.file),
    r.status,
    r.status === "invalid" ? "-" : `${r.cellsOk}/${r.cellsTotal}`,
    seconds(r.elapsedMs),
    r.message ?? "",
  ]);
  const head = ["notebook", "status", "cells", "time", "detail"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (c === 4 ? 0 : r[c].length))));
  const line = (r: string[]) => r.map((v, c) => (c === 4 ? v : v.padEnd(widths[c]))).join("  ").trimEnd();
  const ok = results.filter((r) => r.status === "ok").length;
  return [line(head), ...rows.map(line), `${ok}/${results.length} notebooks passed`].join("\n");
}
