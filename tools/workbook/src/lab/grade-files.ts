import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NotebookError, readNotebook, writeNotebook } from "../notebook-io";
import { Bundle, LabError, parseBundle } from "./format";
import { GradeOptions, gradeNotebook, safeName, StudentResult, SubmissionStatus } from "./grade";
import { classTable, gradesCsv, studentJson } from "./report";

export interface GradeFilesOptions extends GradeOptions {
  outDir: string;
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
  const names = files.map((f) => safeName(studentName(f, bundle.lab)));
  const seen = new Map<string, string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw new LabError(`grade: ${seen.get(n)} and ${files[i]} are both student "${n}"; rename one`);
    seen.set(n, files[i]);
  });
  const out = path.resolve(options.outDir);
  fs.mkdirSync(path.join(out, "students"), { recursive: true });
  fs.mkdirSync(path.join(out, "feedback"), { recursive: true });
  const log = options.log ?? (() => undefined);
  const results: StudentResult[] = files.map((f, i) => placeholder(bundle, names[i], f, "aborted", "not graded: grading was interrupted"));
  const elapsed = new Map<string, number>();
  const csvFile = path.join(out, "grades.csv");
  let next = 0;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const i = next++;
      const started = Date.now();
      log(`${names[i]}: grading ${files[i]}`);
      results[i] = await gradeOne(bundle, files[i], names[i], options, out);
      elapsed.set(names[i], Date.now() - started);
      log(`${names[i]}: ${results[i].score}/${results[i].max_score} (${results[i].status})`);
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs || os.cpus().length, files.length));
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    fs.writeFileSync(csvFile, gradesCsv(bundle, results));
  }
  return { results, csv: csvFile, table: classTable(results, elapsed) };
}

async function gradeOne(bundle: Bundle, file: string, student: string, options: GradeFilesOptions, out: string): Promise<StudentResult> {
  let result: StudentResult;
  try {
    const nb = readNotebook(file);
    const graded = await gradeNotebook(bundle, nb, student, file, options);
    result = graded.result;
    writeNotebook(path.join(out, "feedback", `${student}.ipynb`), graded.feedback);
  } catch (e) {
    const invalid = e instanceof NotebookError || e instanceof LabError;
    result = placeholder(bundle, student, file, invalid ? "invalid" : "grader-error", invalid ? (e as Error).message : `grader error: ${(e as Error).stack ?? String(e)}`);
  }
  fs.writeFileSync(path.join(out, "students", `${student}.json`), studentJson(result));
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
