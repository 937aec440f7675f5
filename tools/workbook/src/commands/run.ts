import * as fs from "fs";
import * as path from "path";
import { parseArgs, positiveNumber, single, UsageError } from "../args";
import { liveKernels } from "../kernel";
import { NotebookError } from "../notebook-io";
import { parseAssignment, Parameters } from "../parameters";
import { runNotebookFiles, summaryTable } from "../run-files";

export const RUN_USAGE = `workbook run NOTEBOOK|DIR... [--out DIR | --inplace] [--quick] [--set NAME=VALUE]... [--timeout SECONDS]
             [--notebook-timeout SECONDS] [--jobs N] [--report FILE] [--quiet]
  Executes each notebook's code cells in order on a fresh kernel-lib kernel and writes the executed
  notebooks (default --out .out/notebooks). A DIR means every .ipynb in it. The cell tagged "parameters"
  holds the lecture-sized values; --quick injects the small ones the notebook keeps in metadata.workbook.quick
  (what npm test runs), and --set NAME=VALUE overrides any parameter (after --quick). --timeout is
  per cell (default 600), --notebook-timeout for a whole notebook (default none). --jobs: notebooks in
  parallel (default: number of cores). --report writes the results as JSON. Exit code 1 if any failed.`;

/** Expands folders to the .ipynb files in them (sorted); files are kept as given. */
export function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
      const found = fs.readdirSync(input).filter((f) => f.endsWith(".ipynb")).sort();
      files.push(...found.map((f) => path.join(input, f)));
    } else {
      files.push(input);
    }
  }
  return files;
}

export async function runCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: ["out", "set", "timeout", "notebook-timeout", "jobs", "report"], flags: ["inplace", "quiet", "quick"] }, "run");
  if (args.positional.length === 0) throw new UsageError(`run: no notebooks given\n${RUN_USAGE}`);
  if (args.flags.has("inplace") && args.options.has("out")) throw new UsageError("run: use either --out or --inplace");
  const parameters: Parameters = {};
  try {
    for (const s of args.options.get("set") ?? []) {
      const [name, value] = parseAssignment(s);
      parameters[name] = value;
    }
  } catch (e) {
    if (e instanceof NotebookError) throw new UsageError(`run: ${e.message}`);
    throw e;
  }
  const timeout = positiveNumber(args, "timeout", "run") ?? 600;
  const notebookTimeout = positiveNumber(args, "notebook-timeout", "run");
  const jobs = positiveNumber(args, "jobs", "run");
  const files = expandInputs(args.positional);
  if (files.length === 0) throw new UsageError(`run: no .ipynb files in ${args.positional.join(", ")}`);
  const quiet = args.flags.has("quiet");

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // A second Ctrl-C: do not wait for the partial notebooks.
      for (const k of liveKernels()) k.kill();
      process.exit(130);
    }
    process.stderr.write(`\nworkbook: ${signal}: stopping kernels and writing what ran so far (again to quit at once)\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  try {
    const results = await runNotebookFiles(files, {
      outDir: single(args, "out"),
      inplace: args.flags.has("inplace"),
      parameters,
      quick: args.flags.has("quick"),
      cellTimeoutMs: timeout * 1000,
      notebookTimeoutMs: notebookTimeout ? notebookTimeout * 1000 : undefined,
      jobs: jobs || undefined,
      signal: controller.signal,
      log: quiet ? undefined : (line) => process.stderr.write(line + "\n"),
    });
    for (const r of results) if (r.status === "invalid" || r.status === "write-failed") process.stderr.write(`workbook: ${r.message}\n`);
    process.stderr.write("\n" + summaryTable(results) + "\n");
    const written = results.find((r) => r.output)?.output;
    if (written && !args.flags.has("inplace")) process.stderr.write(`executed notebooks: ${path.dirname(written)}\n`);
    const report = single(args, "report");
    if (report) {
      fs.mkdirSync(path.dirname(path.resolve(report)), { recursive: true });
      const rows = results.map(({ run: _run, ...rest }) => rest);
      fs.writeFileSync(report, JSON.stringify(rows, null, 2) + "\n");
    }
    if (controller.signal.aborted) return 130;
    return results.every((r) => r.status === "ok") ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
  }
}
