import { formatSeconds, Kernel } from "../kernel";
import type { Output } from "../notebook-types";
import { OutputCollector } from "../outputs";
import { guardMemory } from "./memory-guard";

export type LabCellStatus = "ok" | "error" | "timeout" | "died" | "aborted" | "not-run";

export interface LabCellResult {
  status: LabCellStatus;
  /** One line: the error, the timeout, how the kernel died, or why the cell did not run. */
  message?: string;
  outputs: Output[];
  executionCount: number | null;
  elapsedMs: number;
}

export interface RunCellsOptions {
  /** Working directory of the kernel. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Per-cell limit; a cell past it is interrupted (the kernel is kept when it recovers). 0: none. */
  cellTimeoutMs?: number;
  /** Limit for the whole notebook, kernel start included; past it the kernel is stopped. 0: none. */
  notebookTimeoutMs?: number;
  /** Resident memory limit of the kernel in MB (Linux); past it the kernel is killed. 0: none. */
  memoryLimitMb?: number;
  /** Seeds kernel-lib's generator (torch.manualSeed) before the first cell; null: leave it. */
  seed?: number | null;
  signal?: AbortSignal;
}

export interface CellsRun {
  results: LabCellResult[];
  /** Whether the kernel started, and why the run ended early if it did. */
  kernelStarted: boolean;
  endedEarly?: "died" | "timeout" | "aborted" | "kernel-failed";
  elapsedMs: number;
}

/**
 * Runs cells in order on one fresh kernel and keeps going after a failing cell, as an autograder must:
 * later tests may still score. Never throws for what the cells do; the kernel is always shut down.
 */
export async function runCells(sources: string[], options: RunCellsOptions): Promise<CellsRun> {
  const started = Date.now();
  const deadline = options.notebookTimeoutMs ? started + options.notebookTimeoutMs : Infinity;
  const results: LabCellResult[] = sources.map(() => ({ status: "not-run", outputs: [], executionCount: null, elapsedMs: 0 }));
  const notRun = (from: number, why: string) => {
    for (let i = from; i < results.length; i++) if (results[i].status === "not-run") results[i].message = `not run: ${why}`;
  };
  let kernel: Kernel;
  try {
    const startLimit = Math.min(60_000, Math.max(1, deadline - Date.now()));
    kernel = await Kernel.start({ cwd: options.cwd, env: options.env, startTimeoutMs: startLimit });
  } catch (e) {
    notRun(0, `the kernel did not start (${(e as Error).message})`);
    return { results, kernelStarted: false, endedEarly: "kernel-failed", elapsedMs: Date.now() - started };
  }
  let memoryKill: number | undefined;
  const stopGuard = kernel.pid ? guardMemory(kernel.pid, options.memoryLimitMb ?? 0, (mb) => (memoryKill = mb)) : () => undefined;
  let endedEarly: CellsRun["endedEarly"];
  try {
    const collector = new OutputCollector();
    if (options.seed !== null && options.seed !== undefined && sources.some((s) => s.includes("kernel-lib"))) {
      // Not a notebook cell: seeds the generator every kernel-lib import shares, so reruns grade the same.
      await kernel.execute(`try { require("kernel-lib").torch.manualSeed(${Math.trunc(options.seed)}); } catch {}`, { timeoutMs: 60_000, signal: options.signal });
    }
    for (let i = 0; i < sources.length; i++) {
      if (sources[i].trim() === "") {
        results[i].status = "ok";
        continue;
      }
      if (options.signal?.aborted) {
        endedEarly = "aborted";
        notRun(i, "grading was interrupted");
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
        notRun(i, `the notebook exceeded its ${formatSeconds(options.notebookTimeoutMs ?? 0)} limit`);
        break;
      }
      const cellLimit = options.cellTimeoutMs || Infinity;
      const limit = Math.min(cellLimit, remaining);
      const r = await kernel.execute(sources[i], {
        timeoutMs: Number.isFinite(limit) ? Math.max(1, Math.round(limit)) : 0,
        interruptOnTimeout: true,
        signal: options.signal,
        collector,
      });
      const result: LabCellResult = { status: r.status, message: r.message, outputs: r.outputs, executionCount: r.executionCount, elapsedMs: r.elapsedMs };
      if (r.status === "timeout" && remaining <= cellLimit) {
        result.message = `timed out: the notebook exceeded its ${formatSeconds(options.notebookTimeoutMs ?? 0)} limit`;
        endedEarly = "timeout";
        await kernel.terminate();
      }
      if (r.status === "died" && memoryKill !== undefined) {
        result.message = `the kernel was killed: it used ${memoryKill} MB, over the ${options.memoryLimitMb} MB memory limit`;
      }
      if (r.status === "aborted") endedEarly = "aborted";
      results[i] = result;
      if (endedEarly) {
        notRun(i + 1, endedEarly === "timeout" ? `the notebook exceeded its ${formatSeconds(options.notebookTimeoutMs ?? 0)} limit` : "grading was interrupted");
        break;
      }
    }
    if (!endedEarly && results.some((r) => r.status === "died")) endedEarly = "died";
  } finally {
    stopGuard();
    await kernel.shutdown();
  }
  return { results, kernelStarted: true, endedEarly, elapsedMs: Date.now() - started };
}
