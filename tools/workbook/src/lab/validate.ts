import * as path from "path";
import type { Notebook } from "../notebook-types";
import { sourceText } from "../notebook-types";
import { sourceChecksum } from "./checksum";
import { Bundle, BUNDLE_FORMAT, BundleTest, LabError, StudentLabMeta } from "./format";
import { GradedNotebook, GradeOptions, gradeNotebook, TestResult } from "./grade";
import { HIDDEN_PLACEHOLDER } from "./markers";

export interface ValidateReport {
  lab: string;
  ok: boolean;
  tests: TestResult[];
  /** Edited or deleted test cells and the like, one line each. */
  problems: string[];
  graded: GradedNotebook;
}

/**
 * A student's self-check: runs the notebook as it is (the visible tests only; hidden ones exist only in the
 * instructor's bundle), in the notebook's own folder (or, where kernel-lib does not resolve from there, a
 * scratch folder in the project, as grading does), and reports each test and any edited or deleted test
 * cell (checked against the checksums `lab generate` stored in the notebook).
 */
export async function validateLab(nb: Notebook, file: string, options: GradeOptions = {}): Promise<ValidateReport> {
  const meta = studentMeta(nb, file);
  const problems: string[] = [];
  const tests: BundleTest[] = [];
  for (const t of meta.tests) {
    const cell = nb.cells.find((c) => c.cell_type === "code" && (c.metadata.lab as { id?: unknown } | undefined)?.id === t.id);
    if (!cell) {
      problems.push(`test ${t.id}: its cell is missing (deleted or its metadata removed); it would score 0 when graded`);
      continue;
    }
    const source = sourceText(cell.source);
    tests.push({ id: t.id, points: t.points, source, visible_source: source, checksum: t.checksum, hidden: source.includes(HIDDEN_PLACEHOLDER), cell_id: String(cell.id ?? ""), after_cell_id: null });
  }
  const bundle: Bundle = { format: BUNDLE_FORMAT, version: 1, lab: meta.name, source_sha256: "", max_score: meta.max_score, quick: null, tests };
  const graded = await gradeNotebook(bundle, nb, "self-check", file, { ...options, sandboxMode: "off", cwd: options.cwd ?? kernelLibFolder(path.dirname(path.resolve(file))) });
  for (const t of graded.result.tests) {
    if (t.integrity === "modified") problems.push(`test ${t.id}: the test cell was changed since it was handed out; a changed test scores 0 when graded (restore the original)`);
  }
  const ok = problems.length === 0 && graded.result.tests.every((t) => t.passed);
  return { lab: meta.name, ok, tests: graded.result.tests, problems, graded };
}

/** The notebook's folder when kernel-lib resolves from it (as in Jupyter), else undefined: a scratch folder in the project. */
function kernelLibFolder(dir: string): string | undefined {
  try {
    require.resolve("kernel-lib/package.json", { paths: [dir] });
    return dir;
  } catch {
    return undefined;
  }
}

function studentMeta(nb: Notebook, file: string): StudentLabMeta {
  const m = nb.metadata.lab as StudentLabMeta | undefined;
  if (!m || typeof m !== "object" || !Array.isArray(m.tests) || typeof m.name !== "string") {
    throw new LabError(`${file}: not a lab handed out by \`workbook lab generate\` (no metadata.lab with its tests)`);
  }
  return m;
}
