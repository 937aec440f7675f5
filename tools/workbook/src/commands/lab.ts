import * as fs from "fs";
import * as path from "path";
import { ParsedArgs, parseArgs, positiveNumber, single, UsageError } from "../args";
import { liveKernels } from "../kernel";
import { NotebookError, readNotebook } from "../notebook-io";
import { parseAssignment, Parameters } from "../parameters";
import { expandInputs } from "./run";
import { checkLab } from "../lab/check";
import { LabError } from "../lab/format";
import { assertNoMarkers, generateLab, labName, writeLab } from "../lab/generate";
import { GradeOptions, TestResult } from "../lab/grade";
import { gradeFiles, readBundle } from "../lab/grade-files";
import { quickValues } from "../lab/quick";
import { quickParameters } from "../parameters";
import { validateLab } from "../lab/validate";
import { sandboxState } from "../sandbox";
import { mergeShards, parseShard, shardFiles } from "../lab/shard";

export const LAB_USAGE = `workbook lab generate SOURCE.ipynb --out DIR
  From a solution notebook, writes DIR/student/NAME.ipynb (// BEGIN SOLUTION ... // END SOLUTION regions
  replaced by a blank that throws "not implemented: <hint>", hidden tests removed, outputs cleared, test
  checksums in metadata) and DIR/bundle/NAME.bundle.json (tests and points; keep it away from students).
workbook lab check SOURCE.ipynb [RUN OPTIONS]
  Before handing out: the filled-in copy must get full marks and the blank copy zero, its blanks failing
  with "not implemented". Exit code 1 if not.
workbook lab validate STUDENT.ipynb [RUN OPTIONS]
  A student's self-check with the visible tests; reports edited or deleted test cells.
workbook lab grade --bundle BUNDLE.json SUBMISSION|DIR... --out DIR [--jobs N] [--keep-scratch] [--require-sandbox] [--resume] [RUN OPTIONS]
  Grades each submission on its own kernel (--jobs at a time, default: number of cores), in a bubblewrap
  sandbox where available (--require-sandbox or WORKBOOK_REQUIRE_SANDBOX=1: refuse to grade without one):
  the notebook graded is the lab's own cells with the student's answers in the blanks and the hidden tests
  put back. Writes DIR/students/NAME.json and DIR/feedback/NAME.ipynb as each finishes, DIR/grades.csv after
  each; --resume keeps the finished students of an earlier (killed) run into DIR.
  RUN OPTIONS: --timeout SECONDS per cell (default 300), --notebook-timeout SECONDS (default 1800),
  --memory MB per kernel (default 4096, 0: none), --seed N|none (torch.manualSeed before the first cell,
  default 0), --quick (the notebook's metadata.workbook.quick values), --set NAME=VALUE, --report FILE (JSON).
  --shard K/N: grade only the K-th of N deterministic slices (for N machines; then lab merge).
workbook lab merge --bundle BUNDLE.json --out DIR SHARD_OUT...
  Combines the output folders of shards into DIR/grades.csv, DIR/students and DIR/feedback.
  See docs/labs.md.`;

const RUN_OPTIONS = ["timeout", "notebook-timeout", "memory", "seed", "set", "report"];

export async function labCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "generate":
        return generateCommand(rest);
      case "check":
        return await checkCommand(rest);
      case "validate":
        return await validateCommand(rest);
      case "grade":
        return await gradeCommand(rest);
      case "merge":
        return mergeCommand(rest);
      default:
        throw new UsageError(`lab: ${sub ? `unknown subcommand "${sub}"` : "no subcommand"} (generate, check, validate, grade, merge)\n${LAB_USAGE}`);
    }
  } catch (e) {
    if (e instanceof LabError) {
      console.error(`workbook lab ${sub}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function generateCommand(argv: string[]): number {
  const args = parseArgs(argv, { options: ["out"], flags: [] }, "lab generate");
  const source = onePositional(args, "lab generate", "SOURCE.ipynb");
  const out = single(args, "out");
  if (!out) throw new UsageError("lab generate: --out DIR is required");
  const name = labName(source);
  const lab = generateLab(readNotebook(source), name);
  assertNoMarkers(lab.student);
  const written = writeLab(lab, out);
  console.error(`${name}: ${lab.blanks.length} blank(s), ${lab.bundle.tests.length} test(s), ${lab.bundle.max_score} point(s)`);
  console.error(`student notebook: ${written.student}`);
  console.error(`grading bundle:   ${written.bundle} (keep it away from students)`);
  return 0;
}

async function checkCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: [...RUN_OPTIONS, "jobs"], flags: ["quick"] }, "lab check");
  const source = onePositional(args, "lab check", "SOURCE.ipynb");
  const nb = readNotebook(source);
  const options = runOptions(args, "lab check", args.flags.has("quick") ? quickParameters(nb) : {});
  const report = await checkLab(nb, labName(source), { ...options, jobs: positiveNumber(args, "jobs", "lab check") });
  const s = report.solution.result;
  const b = report.blank.result;
  console.error(`${report.lab}: solution ${s.score}/${s.max_score} points (${seconds(report.solution.elapsedMs)}), blank copy ${b.score}/${b.max_score} points (${seconds(report.blank.elapsedMs)}), ${report.blanks} blank(s), ${report.notImplementedFailures} "not implemented" failure(s)`);
  for (const t of b.tests) console.error(`  blank copy, test ${t.id}: ${t.passed ? "PASSED" : `fails: ${t.error}`}`);
  for (const p of report.problems) console.error(`PROBLEM: ${p}`);
  console.error(report.ok ? "ok: ready to hand out" : `${report.problems.length} problem(s): not ready to hand out`);
  writeReport(args, { lab: report.lab, ok: report.ok, problems: report.problems, blanks: report.blanks, not_implemented_failures: report.notImplementedFailures, solution: s, blank: b });
  return report.ok ? 0 : 1;
}

async function validateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: RUN_OPTIONS, flags: ["quick"] }, "lab validate");
  const file = onePositional(args, "lab validate", "STUDENT.ipynb");
  const nb = readNotebook(file);
  const report = await validateLab(nb, file, runOptions(args, "lab validate", args.flags.has("quick") ? quickParameters(nb) : {}));
  for (const t of report.tests) console.error(`  ${t.id} (${t.max_points} point${t.max_points === 1 ? "" : "s"}): ${testText(t)}`);
  for (const e of report.graded.result.cell_errors) console.error(`  cell ${e.cell} \`${e.first_line}\`: ${e.message}`);
  for (const p of report.problems) console.error(`PROBLEM: ${p}`);
  const passed = report.tests.filter((t) => t.passed).length;
  console.error(`${report.lab}: ${passed}/${report.tests.length} visible tests pass${report.tests.some((t) => t.hidden) ? " (hidden tests run only when grading)" : ""}`);
  writeReport(args, { lab: report.lab, ok: report.ok, problems: report.problems, tests: report.tests });
  return report.ok ? 0 : 1;
}

async function gradeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { options: [...RUN_OPTIONS, "bundle", "out", "jobs", "shard"], flags: ["quick", "keep-scratch", "require-sandbox", "resume"] }, "lab grade");
  const bundleFile = single(args, "bundle");
  const out = single(args, "out");
  if (!bundleFile) throw new UsageError("lab grade: --bundle BUNDLE.json is required");
  if (!out) throw new UsageError("lab grade: --out DIR is required");
  if (args.positional.length === 0) throw new UsageError("lab grade: no submissions given");
  const all = expandInputs(args.positional);
  if (all.length === 0) throw new UsageError(`lab grade: no .ipynb files in ${args.positional.join(", ")}`);
  const shardText = single(args, "shard");
  const files = shardText ? shardFiles(all, parseShard(shardText)) : all;
  if (shardText) process.stderr.write(`shard ${shardText}: ${files.length} of ${all.length} submission(s)\n`);
  const bundle = readBundle(bundleFile);
  const options = runOptions(args, "lab grade", args.flags.has("quick") ? quickValues(bundle.quick) : {});
  const requireSandbox = args.flags.has("require-sandbox") || process.env.WORKBOOK_REQUIRE_SANDBOX === "1";
  const sandbox = sandboxState();
  if (!sandbox.ok) {
    if (requireSandbox) throw new LabError(`grade: a sandbox is required (--require-sandbox or WORKBOOK_REQUIRE_SANDBOX=1) but ${sandbox.reason}`);
    process.stderr.write(`\n*** WARNING: grading UNSANDBOXED: ${sandbox.reason}.\n*** Submissions run with your permissions: they can read the bundle, write anywhere you can and use the network (docs/labs.md).\n\n`);
  }
  // What a sandboxed kernel must not see: the bundle, the submissions and the results.
  const hiddenPaths = [bundleFile, path.dirname(path.resolve(bundleFile)), out, ...files, ...files.map((f) => path.dirname(path.resolve(f)))];

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      for (const k of liveKernels()) k.kill();
      process.exit(130);
    }
    process.stderr.write(`\nworkbook lab grade: ${signal}: stopping; grades.csv will list the submissions not graded (again to quit at once)\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const r = await gradeFiles(bundle, files, {
      ...options,
      outDir: out,
      jobs: positiveNumber(args, "jobs", "lab grade") || undefined,
      keepScratch: args.flags.has("keep-scratch"),
      sandboxMode: requireSandbox ? "require" : "auto",
      resume: args.flags.has("resume"),
      hiddenPaths,
      signal: controller.signal,
      log: (line) => process.stderr.write(line + "\n"),
    });
    process.stderr.write(`\n${r.table}\ngrades: ${r.csv}\n`);
    writeReport(args, r.results);
    if (controller.signal.aborted) return 130;
    return r.results.some((x) => x.status === "invalid" || x.status === "grader-error") ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function mergeCommand(argv: string[]): number {
  const args = parseArgs(argv, { options: ["bundle", "out"], flags: [] }, "lab merge");
  const bundleFile = single(args, "bundle");
  const out = single(args, "out");
  if (!bundleFile) throw new UsageError("lab merge: --bundle BUNDLE.json is required");
  if (!out) throw new UsageError("lab merge: --out DIR is required");
  if (args.positional.length === 0) throw new UsageError("lab merge: no shard output folders given");
  const r = mergeShards(readBundle(bundleFile), args.positional, out);
  console.error(`merged ${args.positional.length} shard(s): ${r.students} student(s); grades: ${r.csv}`);
  return 0;
}

function onePositional(args: ParsedArgs, command: string, what: string): string {
  if (args.positional.length !== 1) throw new UsageError(`${command}: expected one ${what}, got ${args.positional.length}\n${LAB_USAGE}`);
  return args.positional[0];
}

function runOptions(args: ParsedArgs, command: string, base: Parameters): GradeOptions {
  const parameters: Parameters = { ...base };
  try {
    for (const s of args.options.get("set") ?? []) {
      const [name, value] = parseAssignment(s);
      parameters[name] = value;
    }
  } catch (e) {
    if (e instanceof NotebookError) throw new UsageError(`${command}: ${e.message}`);
    throw e;
  }
  const seedText = single(args, "seed");
  let seed: number | null = 0;
  if (seedText === "none") seed = null;
  else if (seedText !== undefined) {
    seed = Number(seedText);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`${command}: --seed must be an integer >= 0 or "none", got "${seedText}"`);
  }
  return {
    parameters,
    cellTimeoutMs: (positiveNumber(args, "timeout", command) ?? 300) * 1000,
    notebookTimeoutMs: (positiveNumber(args, "notebook-timeout", command) ?? 1800) * 1000,
    memoryLimitMb: positiveNumber(args, "memory", command) ?? 4096,
    seed,
  };
}

function writeReport(args: ParsedArgs, value: unknown): void {
  const file = single(args, "report");
  if (!file) return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

function testText(t: TestResult): string {
  if (t.integrity === "modified") return `${t.passed ? "passes" : `fails (${t.error})`}, but the cell was changed`;
  if (t.passed) return t.hidden ? "passes (visible part)" : "passes";
  return `${t.status}: ${t.error}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
