import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeDirs, OutputError, writeFileAtomic } from "../files";
import { NotebookError, readNotebook, writeNotebook } from "../notebook-io";
import { Bundle, LabError, parseBundle } from "./format";
import { GradeOptions, gradeNotebook, safeName, StudentResult, SubmissionStatus } from "./grade";
import { classTable, gradesCsv, studentJson } from "./report";

export interface GradeFilesOptions extends GradeOptions {
  outDir: string;
  /** Keep the results of students already graded in outDir (students/NAME.json) and grade only the rest. */
  resume?: boolean;
  /** Submissions graded at the same time, each on its own kernel (default: number of cores). */
  jobs?: number;
  log?: (line: string) => void;
}

export interface GradeFilesResult {
  results: StudentResult[];
  csv: string;
  table: string;
}

export function readBundle(file: string): Bundle {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new LabError(`${file}: cannot read the bundle (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseBundle(text, file);
}

/** The student's name: the file name, or its folder's name when the file keeps the lab's own name (alice/lab.ipynb). */
export function studentName(file: string, lab: string): string {
  const stem = path.basename(file).replace(/\.ipynb$/i, "");
  return stem === lab ? path.basename(path.dirname(path.resolve(file))) : stem;
}

/**
 * Grades submissions in parallel and writes OUT/grades.csv, OUT/students/NAME.json and
 * OUT/feedback/NAME.ipynb. One submission's failure (unreadable, crashing kernel, a grader bug) never stops
 * the others, and grades.csv is written in every case, also when grading is interrupted.
 */
export async function gradeFiles(bundle: Bundle, files: string[], options: GradeFilesOptions): Promise<GradeFilesResult> {
  const log = options.log ?? (() => undefined);
  const names = uniqueNames(files.map((f) => safeName(studentName(f, bundle.lab))));
  const out = path.resolve(options.outDir);
  makeDirs(path.join(out, "students"));
  makeDirs(path.join(out, "feedback"));
  const results: StudentResult[] = files.map((f, i) => placeholder(bundle, names[i].name, f, "aborted", "not graded: grading was interrupted"));
  names.forEach((n, i) => {
    if (n.clash) results[i].flags.push(n.clash);
  });
  const elapsed = new Map<string, number>();
  const csvFile = path.join(out, "grades.csv");
  // Rewritten after every student, so a grader killed outright still leaves a class file of what finished.
  const writeCsv = () => {
    try {
      writeFileAtomic(csvFile, gradesCsv(bundle, results));
    } catch (e) {
      log(`grades.csv: ${(e as Error).message}`);
    }
  };
  const todo: number[] = [];
  files.forEach((f, i) => {
    const previous = options.resume ? previousResult(out, names[i].name, f) : undefined;
    if (previous) {
      results[i] = previous;
      log(`${names[i].name}: kept from the earlier run (${previous.score}/${previous.max_score}, ${previous.status})`);
    } else todo.push(i);
  });
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      const i = todo[next++];
      const started = Date.now();
      log(`${names[i].name}: grading ${files[i]}`);
      results[i] = await gradeOne(bundle, files[i], names[i].name, options, out, log);
      if (names[i].clash) results[i].flags.push(names[i].clash!);
      writeStudentJson(out, results[i], log);
      elapsed.set(names[i].name, Date.now() - started);
      log(`${names[i].name}: ${results[i].score}/${results[i].max_score} (${results[i].status})`);
      writeCsv();
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs || os.cpus().length, todo.length || 1));
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    writeCsv();
  }
  return { results, csv: csvFile, table: classTable(results, elapsed) };
}

/** Two files that map to one student keep both results: the later ones become NAME-2, NAME-3, ... with a flag. */
function uniqueNames(names: string[]): Array<{ name: string; clash?: string }> {
  const taken = new Set<string>();
  return names.map((n) => {
    if (!taken.has(n)) {
      taken.add(n);
      return { name: n };
    }
    let k = 2;
    while (taken.has(`${n}-${k}`)) k++;
    taken.add(`${n}-${k}`);
    return { name: `${n}-${k}`, clash: `name clash: another submission is also student "${n}"; this one is graded as "${n}-${k}"` };
  });
}

/** A finished result of an earlier run (--resume); undefined when there is none or it did not finish. */
function previousResult(out: string, student: string, file: string): StudentResult | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(out, "students", `${student}.json`), "utf8")) as StudentResult;
    if (r.student !== student || path.resolve(r.submission) !== path.resolve(file)) return undefined;
    return r.status === "aborted" || r.status === "grader-error" ? undefined : r;
  } catch {
    return undefined;
  }
}

function writeStudentJson(out: string, result: StudentResult, log: (line: string) => void): void {
  try {
    writeFileAtomic(path.join(out, "students", `${result.student}.json`), studentJson(result));
  } catch (e) {
    result.flags.push(`result file not written: ${(e as Error).message}`);
    log(`${result.student}: ${(e as Error).message}`);
  }
}

async function gradeOne(bundle: Bundle, file: string, student: string, options: GradeFilesOptions, out: string, log: (line: string) => void): Promise<StudentResult> {
  let result: StudentResult;
  try {
    const nb = readNotebook(file);
    const graded = await gradeNotebook(bundle, nb, student, file, options);
    result = graded.result;
    try {
      writeNotebook(path.join(out, "feedback", `${student}.ipynb`), graded.feedback);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      result.flags.push(`feedback not written: ${e.message}`);
      log(`${student}: ${e.message}`);
    }
  } catch (e) {
    if (e instanceof LabError && /a sandbox is required/.test(e.message)) throw e;
    const invalid = e instanceof NotebookError || e instanceof LabError;
    result = placeholder(bundle, student, file, invalid ? "invalid" : "grader-error", invalid ? (e as Error).message : `grader error: ${(e as Error).stack ?? String(e)}`);
  }
  return result;
}

function placeholder(bundle: Bundle, student: string, file: string, status: SubmissionStatus, why: string): StudentResult {
  return {
    student,
    submission: file,
    lab: bundle.lab,
    score: 0,
    max_score: bundle.max_score,
    status,
    tests: bundle.tests.map((t) => ({ id: t.id, points: 0, max_points: t.points, passed: false, status: "not-run", error: why, integrity: "ok", hidden: t.hidden })),
    cell_errors: [],
    flags: [why],
    flag_codes: [],
  };
}
