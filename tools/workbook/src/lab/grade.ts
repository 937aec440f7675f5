import * as fs from "fs";
import * as path from "path";
import { NotebookError } from "../notebook-io";
import type { Notebook } from "../notebook-types";
import { firstLine } from "../notebook-types";
import { hasTag, injectParameters, INJECTED_TAG, Parameters } from "../parameters";
import { PROJECT_ROOT } from "../paths";
import { assembleFromBundle, assembleSubmission, Assembly, GradingCell, Integrity, sourceToRun } from "./assemble";
import type { Bundle } from "./format";
import { buildFeedback } from "./feedback";
import { CellsRun, LabCellResult, LabCellStatus, runCells, RunCellsOptions } from "./run-cells";
import { SandboxSpec, sandboxState } from "../sandbox";
import { LabError } from "./format";
import { NOT_IMPLEMENTED } from "./markers";
import { hardenedKernelArgv } from "./harden";
import { newNonce, verdictStatement } from "./verdict";

export type TestStatus = "passed" | "failed" | "timeout" | "died" | "not-run";

export interface TestResult {
  id: string;
  /** Points awarded: the test's points when it passed and its cell is intact, else 0. */
  points: number;
  max_points: number;
  /** Whether the original test (hidden parts included) ran without throwing. */
  passed: boolean;
  status: TestStatus;
  /** The failure in one line, null when it passed. */
  error: string | null;
  /** "modified" / "missing": the submission's test cell was edited or deleted (scored 0; the original was run). */
  integrity: Integrity;
  hidden: boolean;
}

/** completed: every cell was attempted on a live kernel (failures and per-cell timeouts included). */
export type SubmissionStatus = "completed" | "timeout" | "died" | "kernel-failed" | "aborted" | "invalid" | "grader-error";

export interface CellError {
  /** Index of the cell in the submission as graded (the feedback notebook, without its summary cell). */
  cell: number;
  first_line: string;
  status: LabCellStatus;
  message: string;
}

export interface StudentResult {
  student: string;
  submission: string;
  lab: string;
  score: number;
  max_score: number;
  status: SubmissionStatus;
  tests: TestResult[];
  /** The student's own cells that failed (grading went on after them). */
  cell_errors: CellError[];
  /** Integrity findings and anything else the instructor should look at. */
  flags: string[];
  /** The same findings as short codes (the CSV's flags column): modified:ID, missing:ID, extra:ID, edited:ID, unanswered:ID, deleted:ID, moved. */
  flag_codes: string[];
}

/**
 * auto: sandbox each kernel with bubblewrap when it works here, else grade unsandboxed and say so loudly;
 * require: refuse to grade without a sandbox (--require-sandbox, WORKBOOK_REQUIRE_SANDBOX=1); off: never.
 */
export type SandboxMode = "auto" | "require" | "off";

export interface GradeOptions extends Omit<RunCellsOptions, "cwd" | "sandbox"> {
  sandboxMode?: SandboxMode;
  /** Paths the sandboxed kernel must not see: the bundle, the submissions, the output folder. */
  hiddenPaths?: string[];
  /** Parameter values injected after the parameters cell (--quick / --set). */
  parameters?: Parameters;
  /** Kernel working directory; default: a fresh scratch folder under the project's .out/grading, removed afterwards. */
  cwd?: string;
  keepScratch?: boolean;
}

export interface GradedNotebook {
  result: StudentResult;
  feedback: Notebook;
  cells: GradingCell[];
  runs: LabCellResult[];
  elapsedMs: number;
}

/** Where scratch folders live: under the project, so `import "kernel-lib"` resolves through its node_modules. */
export const SCRATCH_ROOT = path.join(PROJECT_ROOT, ".out", "grading");

/** Grades one submission against a bundle. Never throws for what the submission does. */
export async function gradeNotebook(bundle: Bundle, submission: Notebook, student: string, file: string, options: GradeOptions = {}): Promise<GradedNotebook> {
  const flags: string[] = [];
  const submitted: Notebook = { ...submission, cells: submission.cells.filter((c) => !hasTag(c, INJECTED_TAG)) };
  // Version 2 bundles: the notebook graded is built from the bundle's cells with the student's answers put in.
  const assembly: Assembly = bundle.cells ? assembleFromBundle(bundle, submitted) : { cells: assembleSubmission(bundle, submitted), flags: [], codes: [] };
  let cells = assembly.cells;
  let nb: Notebook = { ...submitted, cells: cells.map((c) => c.cell) };
  if (options.parameters && Object.keys(options.parameters).length) {
    try {
      nb = injectParameters(nb, options.parameters, file);
      const byCell = new Map(cells.map((c) => [c.cell, c] as const));
      cells = nb.cells.map((c) => byCell.get(c) ?? { role: "student", cell: c });
    } catch (e) {
      if (!(e instanceof NotebookError)) throw e;
      flags.push(`parameters not injected: ${e.message}`);
    }
  }
  flags.push(...assembly.flags);
  for (const c of cells) {
    if (c.role !== "test" || c.integrity === "ok") continue;
    flags.push(`test ${c.test.id}: the test cell was ${c.integrity === "modified" ? "modified (checksum mismatch)" : "deleted"}; scored 0, the original test was run`);
  }
  let scratch: string | undefined;
  let cwd = options.cwd;
  if (!cwd) {
    fs.mkdirSync(SCRATCH_ROOT, { recursive: true });
    scratch = fs.mkdtempSync(path.join(SCRATCH_ROOT, `${safeName(student)}-`));
    cwd = scratch;
  }
  const sandbox = sandboxFor(options, cwd);
  if (!sandbox) flags.push(`graded unsandboxed: ${sandboxState().ok ? "the sandbox was switched off" : (sandboxState() as { reason: string }).reason}`);
  // Each test cell carries its own fresh nonce (lab/verdict.ts): pass/fail is not the kernel's word alone.
  const nonces = cells.map((c) => (c.role === "test" ? newNonce() : undefined));
  const sources = cells.map((c, i) => sourceToRun(c) + (nonces[i] ? verdictStatement(nonces[i]!) : ""));
  let run: CellsRun;
  try {
    run = await runCells(sources, { argv: hardenedKernelArgv, ...options, cwd, sandbox, env: sandbox ? kernelEnv(options.env ?? process.env) : options.env, verdicts: true });
  } finally {
    if (scratch && !options.keepScratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
  const tests: TestResult[] = [];
  const cellErrors: CellError[] = [];
  const forged: string[] = [];
  cells.forEach((c, i) => {
    const r = run.results[i];
    if (c.role === "test") {
      const recorded = run.verdicts.has(nonces[i]!);
      if (r.status === "ok" && !recorded) forged.push(c.test.id);
      const passed = r.status === "ok" && recorded;
      tests.push({
        id: c.test.id,
        points: passed && c.integrity === "ok" ? c.test.points : 0,
        max_points: c.test.points,
        passed,
        status: testStatus(r.status),
        error: passed ? null : r.status === "ok" ? FORGED_MESSAGE : c.test.hidden ? hiddenTestMessage(c.test.source, r.message ?? r.status) : r.message ?? r.status,
        integrity: c.integrity,
        hidden: c.test.hidden,
      });
    } else if (c.cell.cell_type === "code" && r.status !== "ok") {
      cellErrors.push({ cell: i, first_line: firstLine(c.cell.source), status: r.status, message: r.message ?? r.status });
    }
  });
  for (const id of forged) flags.push(`test ${id}: the kernel reported it as passed, but the test's own completion record never arrived (the reply was forged, or the test did not run to its end); scored 0`);
  // Bundle order, whatever order the submission has.
  tests.sort((a, b) => bundle.tests.findIndex((t) => t.id === a.id) - bundle.tests.findIndex((t) => t.id === b.id));
  const result: StudentResult = {
    student,
    submission: file,
    lab: bundle.lab,
    score: round(tests.reduce((s, t) => s + t.points, 0)),
    max_score: bundle.max_score,
    status: run.endedEarly ?? (run.results.some((r) => r.status === "timeout") ? "timeout" : "completed"),
    tests,
    cell_errors: cellErrors,
    flags,
    flag_codes: [...tests.filter((t) => t.integrity !== "ok").map((t) => `${t.integrity}:${t.id}`), ...forged.map((id) => `forged:${id}`), ...assembly.codes],
  };
  return { result, feedback: buildFeedback(bundle, nb, cells, run.results, result), cells, runs: run.results, elapsedMs: run.elapsedMs };
}

/** A test whose reply said ok without its verdict record (lab/verdict.ts). */
export const FORGED_MESSAGE = "the kernel replied ok, but the test's completion record did not arrive: not counted as passed";

/** The sandbox for one kernel, or undefined (unsandboxed); throws LabError when one is required and none works. */
export function sandboxFor(options: GradeOptions, cwd: string): (SandboxSpec & { bwrap: string }) | undefined {
  const mode = options.sandboxMode ?? "auto";
  if (mode === "off") return undefined;
  const state = sandboxState();
  if (!state.ok) {
    if (mode === "require") throw new LabError(`grade: a sandbox is required (--require-sandbox or WORKBOOK_REQUIRE_SANDBOX=1) but ${state.reason}`);
    return undefined;
  }
  // Other students' scratch folders are hidden with the whole scratch root; this one is bound back, writable.
  return { bwrap: state.bwrap, writable: [cwd], hidden: [...hideable(options.hiddenPaths ?? []), SCRATCH_ROOT] };
}

/** A folder above the project cannot be hidden (the kernel needs the project): hide the files in it instead. */
function hideable(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths.map((x) => path.resolve(x))) {
    const above = PROJECT_ROOT === p || PROJECT_ROOT.startsWith(p + path.sep);
    if (!above) out.push(p);
  }
  return out;
}

/** What the kernel needs from the grader's environment; nothing else (no tokens, no grader settings). */
function kernelEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = (k: string) => ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM"].includes(k) || /^KERNEL_LIB_/.test(k);
  return Object.fromEntries(Object.entries(env).filter(([k]) => keep(k)));
}

/**
 * The failure message of a test with hidden parts, as the student sees it: kept when it is one the test itself
 * writes (it starts with the fixed text of one of the test's string literals), a type-check diagnostic, a
 * blank's "not implemented", a timeout or a dead kernel; otherwise withheld, since student code that throws
 * could put what it saw of the hidden test into the message.
 */
export function hiddenTestMessage(testSource: string, message: string): string {
  if (/^(timed out|the kernel|not run)/.test(message) || /^\d+:\d+ - /.test(message) || message.includes(NOT_IMPLEMENTED)) return message;
  const body = message.replace(/^[A-Za-z_$][\w$]*: /, "");
  const literals = [...testSource.matchAll(/(["'`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2].split("${")[0]).filter((t) => t.length >= 6);
  if (literals.some((t) => body.startsWith(t))) return message;
  return "a hidden check failed (its message is withheld: it did not come from the test)";
}

function testStatus(s: LabCellStatus): TestStatus {
  if (s === "ok") return "passed";
  if (s === "error") return "failed";
  if (s === "timeout" || s === "died") return s;
  return "not-run";
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._@-]/g, "_").replace(/^\.+/, "_") || "_";
}
