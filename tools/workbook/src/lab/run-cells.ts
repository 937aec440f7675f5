import { CellLoopRun, LoopCellResult, LoopCellStatus, runCellLoop } from "../cell-loop";
import { Kernel } from "../kernel";
import type { SandboxSpec } from "../sandbox";
import { guardMemory } from "./memory-guard";

export type LabCellStatus = LoopCellStatus;
export type LabCellResult = LoopCellResult;

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
  /** Run the kernel in this bubblewrap sandbox (see sandbox.ts). */
  sandbox?: SandboxSpec & { bwrap: string };
  /** The kernel command (default: the kernel spec's), e.g. with a preload that hardens it. */
  argv?: (connectionFile: string) => string[];
  /** Give the kernel the grading preload's verdict pipe (lab/verdict.ts); CellsRun.verdicts holds what arrived. */
  verdicts?: boolean;
}

export interface CellsRun {
  results: LabCellResult[];
  /** Whether the kernel started, and why the run ended early if it did. */
  kernelStarted: boolean;
  endedEarly?: "died" | "timeout" | "aborted" | "kernel-failed";
  elapsedMs: number;
  /** The lines that arrived on the verdict pipe (empty without options.verdicts). */
  verdicts: ReadonlySet<string>;
}

/**
 * Runs cells in order on one fresh kernel (the runner's cell loop, cell-loop.ts) and keeps going after a
 * failing cell, as an autograder must: later tests may still score. Never throws for what the cells do; the kernel is always shut down.
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
    kernel = await Kernel.start({ cwd: options.cwd, env: options.env, startTimeoutMs: startLimit, sandbox: options.sandbox, argv: options.argv, verdictChannel: options.verdicts });
  } catch (e) {
    notRun(0, `the kernel did not start (${(e as Error).message})`);
    return { results, kernelStarted: false, endedEarly: "kernel-failed", elapsedMs: Date.now() - started, verdicts: new Set() };
  }
  let memoryKill: number | undefined;
  const stopGuard = kernel.pid ? guardMemory(kernel.pid, options.memoryLimitMb ?? 0, (mb) => (memoryKill = mb)) : () => undefined;
  let loop: CellLoopRun;
  try {
    if (options.seed !== null && options.seed !== undefined && sources.some((s) => s.includes("kernel-lib"))) {
      // Not a notebook cell: seeds the generator every kernel-lib import shares, so reruns grade the same.
      await kernel.execute(`try { require("kernel-lib").torch.manualSeed(${Math.trunc(options.seed)}); } catch {}`, { timeoutMs: 60_000, signal: options.signal });
    }
    loop = await runCellLoop(kernel, sources, {
      cellTimeoutMs: options.cellTimeoutMs,
      deadline: Number.isFinite(deadline) ? deadline : undefined,
      notebookTimeoutMs: options.notebookTimeoutMs,
      stopOnError: false,
      interruptOnTimeout: true,
      signal: options.signal,
      deathReason: () => (memoryKill === undefined ? undefined : `the kernel was killed: it used ${memoryKill} MB, over the ${options.memoryLimitMb} MB memory limit`),
    });
  } finally {
    stopGuard();
    await kernel.shutdown();
  }
  const endedEarly = loop.endedEarly === "error" ? undefined : loop.endedEarly;
  const verdicts = options.verdicts ? await kernel.verdicts() : new Set<string>();
  return { results: loop.results, kernelStarted: true, endedEarly, elapsedMs: Date.now() - started, verdicts };
}
