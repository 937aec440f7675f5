import { ExecuteStatus, Kernel, KernelOptions } from "./kernel";
import { CodeCell, firstLine, Notebook, Output, sourceText } from "./notebook-types";
import { CellLoopRun, runCellLoop } from "./cell-loop";
import { injectParameters, Parameters, quickParameters } from "./parameters";

export type CellStatus = ExecuteStatus | "skipped";
/** kernel-failed: the kernel did not start, so no cell ran. */
export type NotebookStatus = ExecuteStatus | "kernel-failed";

export interface ExecuteNotebookOptions extends KernelOptions {
  /** Values for the parameters cell (see parameters.ts). */
  parameters?: Parameters;
  /** Inject the notebook's quick-mode values (metadata.workbook.quick) first; `parameters` override them. */
  quick?: boolean;
  /** Limit per cell in milliseconds (0/undefined: none). */
  cellTimeoutMs?: number;
  /** Limit for all cells together in milliseconds, counted once the kernel is up (0/undefined: none). */
  notebookTimeoutMs?: number;
  /** Stop at the first failing cell (default true). With false, later cells still run while the kernel lives. */
  stopOnError?: boolean;
  /** On a cell timeout, interrupt the cell and keep the kernel if it recovers (default: kill the kernel). */
  interruptOnTimeout?: boolean;
  /** Cancels the run: the kernel is killed, the notebook so far is returned with status "aborted". */
  signal?: AbortSignal;
  /** Called before and after each code cell (progress reporting). */
  onCell?: (event: CellEvent) => void;
  /** Called after each code cell with the executed notebook so far (saving partial results). */
  onProgress?: (notebook: Notebook) => void;
  /** Used in error messages (default "notebook"). */
  name?: string;
}

export interface CellEvent {
  phase: "start" | "end";
  /** Index of the cell in notebook.cells. */
  index: number;
  /** 1-based position among the code cells, and how many there are. */
  position: number;
  total: number;
  firstLine: string;
  result?: CellRun;
}

export interface CellRun {
  /** Index of the cell in notebook.cells (the executed notebook, with any injected-parameters cell). */
  index: number;
  firstLine: string;
  status: CellStatus;
  executionCount: number | null;
  outputs: Output[];
  message?: string;
  elapsedMs: number;
}

export interface NotebookFailure {
  index: number;
  firstLine: string;
  status: Exclude<NotebookStatus, "ok">;
  message: string;
}

export interface NotebookRun {
  /** The executed copy: outputs and execution counts filled in up to where the run stopped. */
  notebook: Notebook;
  status: NotebookStatus;
  /** One entry per non-empty code cell, in order; cells that did not run are "skipped". */
  cells: CellRun[];
  /** The first failing cell (index -1 when the kernel did not start). */
  failure?: NotebookFailure;
  elapsedMs: number;
}

/**
 * Runs a notebook's code cells in order on a fresh kernel-lib kernel and returns the executed copy with
 * per-cell results. Never throws for notebook failures (they are in the result); the kernel is always
 * shut down before it returns. Throws NotebookError for bad --set parameters.
 */
export async function executeNotebook(source: Notebook, options: ExecuteNotebookOptions = {}): Promise<NotebookRun> {
  const started = Date.now();
  const parameters: Parameters = {
    ...(options.quick ? quickParameters(source, options.name) : {}),
    ...(options.parameters ?? {}),
  };
  const nb = prepare(injectParameters(source, parameters, options.name));
  const quickConfig = (source.metadata.workbook as { quick?: Parameters } | undefined)?.quick;
  const code = nb.cells
    .map((cell, index) => ({ cell, index }))
    .filter((x): x is { cell: CodeCell; index: number } => x.cell.cell_type === "code" && sourceText(x.cell.source).trim() !== "");
  const cells: CellRun[] = code.map(({ cell, index }) => ({
    index,
    firstLine: firstLine(cell.source),
    status: "skipped",
    executionCount: null,
    outputs: [],
    elapsedMs: 0,
  }));
  const finish = (failure?: NotebookFailure): NotebookRun => {
    const status: NotebookStatus = failure ? failure.status : "ok";
    nb.metadata.workbook = {
      ...(quickConfig ? { quick: quickConfig } : {}),
      status,
      elapsed_s: Math.round((Date.now() - started) / 100) / 10,
      ...(Object.keys(parameters).length ? { parameters } : {}),
      ...(failure ? { failed_cell: failure.index, message: failure.message } : {}),
    };
    return { notebook: nb, status, cells, failure, elapsedMs: Date.now() - started };
  };

  if (options.signal?.aborted) return finish({ index: -1, firstLine: "", status: "aborted", message: "interrupted before start" });
  let kernel: Kernel;
  try {
    kernel = await Kernel.start(options);
  } catch (e) {
    return finish({ index: -1, firstLine: "", status: "kernel-failed", message: `kernel did not start: ${(e as Error).message}` });
  }

  const firstFailure = (): NotebookFailure | undefined => {
    const i = cells.findIndex((c) => c.status !== "ok" && c.status !== "skipped");
    if (i < 0) return undefined;
    const c = cells[i];
    return { index: c.index, firstLine: c.firstLine, status: c.status as Exclude<NotebookStatus, "ok">, message: c.message ?? c.status };
  };
  // The notebook limit covers its cells; starting the kernel has its own limit (startTimeoutMs).
  const deadline = options.notebookTimeoutMs ? Date.now() + options.notebookTimeoutMs : undefined;
  let loop: CellLoopRun;
  try {
    loop = await runCellLoop(
      kernel,
      code.map(({ cell }) => sourceText(cell.source)),
      {
        cellTimeoutMs: options.cellTimeoutMs,
        deadline,
        notebookTimeoutMs: options.notebookTimeoutMs,
        stopOnError: options.stopOnError !== false,
        interruptOnTimeout: options.interruptOnTimeout,
        signal: options.signal,
        onCellStart: (i) => options.onCell?.({ phase: "start", index: code[i].index, position: i + 1, total: code.length, firstLine: cells[i].firstLine }),
        onCellEnd: (i, r) => {
          const { cell, index } = code[i];
          const run = cells[i];
          if (r.status === "timeout" || r.status === "died" || r.status === "aborted") {
            // Nothing in the cell's outputs says why it stopped: add it, as papermill does.
            r.outputs.push({ output_type: "error", ename: banner(r.status), evalue: r.message ?? "", traceback: [r.message ?? ""] });
          }
          cell.outputs = r.outputs;
          cell.execution_count = r.executionCount;
          Object.assign(run, { status: r.status, executionCount: r.executionCount, outputs: r.outputs, message: r.message, elapsedMs: r.elapsedMs });
          options.onCell?.({ phase: "end", index, position: i + 1, total: code.length, firstLine: run.firstLine, result: run });
          if (options.onProgress) {
            // A snapshot for saving while the run goes on: marked "running" until the run ends.
            const partial = finish(firstFailure()).notebook;
            partial.metadata.workbook = { ...(partial.metadata.workbook as object), status: "running" };
            options.onProgress(partial);
          }
        },
      },
    );
  } finally {
    await kernel.shutdown();
  }
  let failure = firstFailure();
  if (!failure && loop.endedEarly && loop.endedEarly !== "error") {
    // Stopped between cells (time ran out, cancelled): the first cell that did not run says why.
    const i = loop.results.findIndex((r) => r.status === "not-run");
    const c = cells[Math.max(0, i)];
    failure = { index: c.index, firstLine: c.firstLine, status: loop.endedEarly, message: loop.results[Math.max(0, i)].message ?? loop.endedEarly };
  }
  return finish(failure);
}

function banner(status: ExecuteStatus): string {
  if (status === "timeout") return "CellTimeoutError";
  if (status === "died") return "DeadKernelError";
  return "RunAborted";
}

/** A deep copy with every code cell's outputs and execution count cleared, as nbconvert --execute starts. */
function prepare(nb: Notebook): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  for (const cell of copy.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  return copy;
}
