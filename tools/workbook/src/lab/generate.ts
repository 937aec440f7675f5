import * as fs from "fs";
import * as path from "path";
import { serializeNotebook, writeNotebook } from "../notebook-io";
import type { Cell, Notebook, NotebookMetadata } from "../notebook-types";
import { sourceText } from "../notebook-types";
import { hasTag, INJECTED_TAG } from "../parameters";
import { sha256, sourceChecksum } from "./checksum";
import { Bundle, BUNDLE_FORMAT, BundleCell, BundleTest, LabError, StudentLabMeta, testMeta } from "./format";
import { findRegions, keepRegions, removeHidden } from "./markers";
import { blankSolutions } from "./transform";

/** One blank of the student copy (for `lab check`: the cell that should fail with this message). */
export interface Blank {
  cell_id: string;
  message: string;
}

export interface GeneratedLab {
  /** The notebook handed out: solutions replaced, hidden tests removed, outputs cleared, test checksums in metadata. */
  student: Notebook;
  /** What a perfect student would hand in: the student copy with the solutions filled in (used by `lab check`). */
  solution: Notebook;
  /** Tests and points for grading, kept apart from the student copy. */
  bundle: Bundle;
  blanks: Blank[];
}

/** Keys the runner writes into metadata.workbook after a run; not part of a lab handed out. */
const RUN_KEYS = ["status", "elapsed_s", "parameters", "failed_cell", "message"];

/** Builds the student copy, the solution copy and the grading bundle from a source (solution) notebook. */
export function generateLab(source: Notebook, name: string): GeneratedLab {
  const file = `${name}.ipynb`;
  const cells = source.cells.filter((c) => !hasTag(c, INJECTED_TAG));
  const student: Cell[] = [];
  const solution: Cell[] = [];
  const tests: BundleTest[] = [];
  const blanks: Blank[] = [];
  const layout: BundleCell[] = [];
  const ids = new Set<string>();
  cells.forEach((original, i) => {
    const id = typeof original.id === "string" && original.id !== "" && !ids.has(original.id) ? original.id : `lab-cell-${i}`;
    ids.add(id);
    const where = `${file} cell ${i} (id ${id})`;
    const src = sourceText(original.source);
    const regions = findRegions(src, where);
    const base = clean(original, id);
    if (base.cell_type !== "code") {
      if (regions.length) throw new LabError(`${where}: markers only work in code cells (this is a ${base.cell_type} cell)`);
      student.push(base);
      solution.push(clone(base));
      layout.push({ kind: "given", id, cell_type: base.cell_type, source: sourceText(base.source), metadata: clone(base.metadata) });
      return;
    }
    const meta = testMeta({ ...original, id }, where);
    if (meta) {
      if (regions.some((r) => r.kind === "solution")) throw new LabError(`${where}: test cell "${meta.id}" contains a solution region; tests and solutions go in separate cells`);
      if (tests.some((t) => t.id === meta.id)) throw new LabError(`${where}: test id "${meta.id}" is used by more than one cell`);
      const visible = removeHidden(src, regions);
      const checksum = sourceChecksum(visible);
      tests.push({
        id: meta.id,
        points: meta.points,
        source: keepRegions(src, regions, ["hidden"]),
        visible_source: visible,
        checksum,
        hidden: regions.length > 0,
        cell_id: id,
        after_cell_id: student.length ? (student[student.length - 1].id as string) : null,
      });
      const cell = { ...base, source: visible, metadata: { ...base.metadata, lab: { id: meta.id, points: meta.points, checksum } } };
      student.push(cell);
      solution.push(clone(cell));
      layout.push({ kind: "test", id, test: meta.id });
      return;
    }
    if (regions.some((r) => r.kind === "hidden")) {
      throw new LabError(`${where}: hidden tests outside a test cell would never be graded; give the cell {"lab": {"points": N, "id": "..."}} metadata`);
    }
    const first = blanks.length;
    const blanked = blankSolutions(src, regions, where, (k) => first + k + 1);
    for (const message of blanked.messages) blanks.push({ cell_id: id, message });
    student.push({ ...base, source: blanked.code });
    const code = sourceText(base.source);
    layout.push(
      blanked.blanks.length
        ? { kind: "blanks", id, given: blanked.given, blanks: blanked.blanks, metadata: clone(base.metadata) }
        : { kind: "given", id, cell_type: "code", source: code, metadata: clone(base.metadata) },
    );
    solution.push({ ...clone(base), source: keepRegions(src, regions, ["solution"]) });
  });
  if (tests.length === 0) throw new LabError(`${file}: no test cells (code cells with metadata {"lab": {"points": N, "id": "..."}})`);

  const maxScore = tests.reduce((s, t) => s + t.points, 0);
  const labMeta: StudentLabMeta = { name, max_score: maxScore, tests: tests.map((t) => ({ id: t.id, points: t.points, checksum: t.checksum })) };
  const metadata: NotebookMetadata = { ...source.metadata, lab: labMeta };
  const workbook = metadata.workbook;
  if (workbook && typeof workbook === "object" && !Array.isArray(workbook)) {
    metadata.workbook = Object.fromEntries(Object.entries(workbook as Record<string, unknown>).filter(([k]) => !RUN_KEYS.includes(k)));
  }
  const minor = Math.max(source.nbformat_minor ?? 0, 5); // cell ids
  const quick = (metadata.workbook as Record<string, unknown> | undefined)?.quick;
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    version: 2,
    lab: name,
    source_sha256: sha256(cells.map((c) => sourceText(c.source)).join("\0")),
    max_score: maxScore,
    quick: quick && typeof quick === "object" && !Array.isArray(quick) ? (quick as Record<string, unknown>) : null,
    tests,
    cells: layout,
  };
  return {
    student: { nbformat: 4, nbformat_minor: minor, metadata, cells: student },
    solution: { nbformat: 4, nbformat_minor: minor, metadata: clone(metadata), cells: solution },
    bundle,
    blanks,
  };
}

function clean(cell: Cell, id: string): Cell {
  const copy = clone(cell);
  copy.id = id;
  if (copy.cell_type === "code") {
    copy.outputs = [];
    copy.execution_count = null;
    delete copy.metadata.execution;
  }
  return copy;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export interface WrittenLab {
  student: string;
  bundle: string;
}

/** Writes OUT/student/NAME.ipynb and OUT/bundle/NAME.bundle.json (the bundle readable by its owner only). */
export function writeLab(lab: GeneratedLab, outDir: string): WrittenLab {
  const studentDir = path.join(outDir, "student");
  const bundleDir = path.join(outDir, "bundle");
  fs.mkdirSync(studentDir, { recursive: true });
  fs.mkdirSync(bundleDir, { recursive: true, mode: 0o700 });
  const student = path.join(studentDir, `${lab.bundle.lab}.ipynb`);
  const bundle = path.join(bundleDir, `${lab.bundle.lab}.bundle.json`);
  writeNotebook(student, lab.student);
  fs.writeFileSync(bundle, JSON.stringify(lab.bundle, null, 1) + "\n", { mode: 0o600 });
  return { student, bundle };
}

/** The lab's name: the file name without .ipynb. */
export function labName(file: string): string {
  return path.basename(file).replace(/\.ipynb$/i, "");
}

/** The serialized student notebook must not contain any marker (a last guard against leaking solutions). */
export function assertNoMarkers(nb: Notebook): void {
  const text = serializeNotebook(nb);
  for (const m of ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]) {
    if (text.includes(m)) throw new LabError(`generate: the student copy still contains "${m}"; refusing to write it`);
  }
}
