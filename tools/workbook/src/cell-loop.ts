import { ExecuteStatus, formatSeconds, Kernel } from "./kernel";
import type { Output } from "./notebook-types";
import { OutputCollector } from "./outputs";

/** not-run: the loop stopped before this cell (its message says why). */
export type LoopCellStatus = ExecuteStatus | "not-run";

export interface LoopCellResult {
  status: LoopCellStatus;
  /** One line: the error, the timeout, how the kernel died, or why the cell did not run. */
  message?: string;
  outputs: Output[];
  executionCount: number | null;
  elapsedMs: number;
}

/** Why the loop stopped before the last cell: a cell failed (stopOnError), the kernel died, time ran out, cancelled. */
export type LoopEnd = "error" | "died" | "timeout" | "aborted";

export interface CellLoopOptions {
  /** Per-cell limit in milliseconds (0/undefined: none). */
  cellTimeoutMs?: number;
  /** Absolute time (Date.now()) by which all cells must be done (undefined: none). */
  deadline?: number;
  /** The notebook limit the deadline stands for, for messages. */
  notebookTimeoutMs?: number;
  /** Stop at the first failing cell (the runner's default); false: keep going while the kernel lives (the grader). */
  stopOnError: boolean;
  /** On a cell timeout, interrupt the cell and keep the kernel if it recovers (default: kill the kernel). */
  interruptOnTimeout?: boolean;
  signal?: AbortSignal;
  /** Shared by the whole run (display ids across cells). */
  collector?: OutputCollector;
  /** Why the kernel died, when someone else killed it (the memory guard); else the kernel's own report. */
  deathReason?: () => string | undefined;
  onCellStart?: (i: number) => void;
  onCellEnd?: (i: number, result: LoopCellResult) => void;
}

export interface CellLoopRun {
  results: LoopCellResult[];
  endedEarly?: LoopEnd;
}

/**
 * The one cell loop of the runner (`workbook run`, executeNotebook) and the grader (`workbook lab`): runs
 * sources in order on a started kernel, each under the per-cell and notebook limits, and says for every
 * cell that did not run why not. Never throws for what the cells do; leaves the kernel to the caller.
 */
export async function runCellLoop(kernel: Kernel, sources: string[], options: CellLoopOptions): Promise<CellLoopRun> {
  const results: LoopCellResult[] = sources.map(() => ({ status: "not-run", outputs: [], executionCount: null, elapsedMs: 0 }));
  const notebookLimit = `the notebook exceeded its ${formatSeconds(options.notebookTimeoutMs ?? 0)} limit`;
  const deadline = options.deadline ?? Infinity;
  const collector = options.collector ?? new OutputCollector();
  let endedEarly: LoopEnd | undefined;
  const notRun = (from: number, why: string) => {
    for (let i = from; i < results.length; i++) if (results[i].status === "not-run") results[i].message = `not run: ${why}`;
  };
  for (let i = 0; i < sources.length; i++) {
    if (sources[i].trim() === "") {
      results[i].status = "ok";
      continue;
    }
    if (options.signal?.aborted) {
      endedEarly = "aborted";
      notRun(i, "the run was interrupted");
      break;
    }
    if (!kernel.alive) {
      endedEarly = "died";
      const timedOut = results.slice(0, i).some((r) => r.status === "timeout");
      notRun(i, timedOut ? "the kernel was stopped after an earlier cell timed out" : "the kernel died in an earlier cell");
      break;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      endedEarly = "timeout";
      notRun(i, notebookLimit);
      break;
    }
    options.onCellStart?.(i);
    const cellLimit = options.cellTimeoutMs || Infinity;
    const limit = Math.min(cellLimit, remaining);
    const r = await kernel.execute(sources[i], {
      timeoutMs: Number.isFinite(limit) ? Math.max(1, Math.round(limit)) : 0,
      interruptOnTimeout: options.interruptOnTimeout,
      signal: options.signal,
      collector,
    });
    const result: LoopCellResult = { status: r.status, message: r.message, outputs: r.outputs, executionCount: r.executionCount, elapsedMs: r.elapsedMs };
    if (r.status === "timeout" && remaining <= cellLimit) {
      result.message = `timed out: ${notebookLimit}`;
      endedEarly = "timeout";
      await kernel.terminate();
    }
    if (r.status === "died") result.message = options.deathReason?.() ?? r.message;
    if (r.status === "aborted") endedEarly = "aborted";
    results[i] = result;
    options.onCellEnd?.(i, result);
    if (endedEarly) {
      notRun(i + 1, endedEarly === "timeout" ? notebookLimit : "the run was interrupted");
      break;
    }
    if (r.status !== "ok" && options.stopOnError) {
      endedEarly = r.status === "died" ? "died" : r.status === "timeout" ? "timeout" : "error";
      notRun(i + 1, "an earlier cell failed");
      break;
    }
  }
  if (!endedEarly && results.some((r) => r.status === "died")) endedEarly = "died";
  return { results, endedEarly };
}
