import type { Cell } from "../notebook-types";

/** A problem with a lab notebook or bundle; one line meant for the instructor or student. */
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabError";
  }
}

/** What an author writes in a test cell's metadata: {"lab": {"points": 2, "id": "eval-fn"}}. */
export interface TestCellMeta {
  id: string;
  points: number;
  /** sha256 of the student-visible source (added by `lab generate`). */
  checksum?: string;
}

/** One graded test cell as the bundle keeps it. */
export interface BundleTest {
  id: string;
  points: number;
  /** The source exactly as graded: visible lines with the hidden tests in place. */
  source: string;
  /** What the student copy shows (hidden tests replaced by a comment). */
  visible_source: string;
  /** sha256 of visible_source, normalized (see checksum.ts). */
  checksum: string;
  /** True when the cell had hidden tests. */
  hidden: boolean;
  /** nbformat id of the test cell, and of the cell before it in the student copy (where to re-insert it). */
  cell_id: string;
  after_cell_id: string | null;
}

/**
 * One cell of the lab as handed out, in order: what the grader runs, whatever the submission holds.
 * given: the instructor's cell, run verbatim (the submission's copy is ignored; an edit is reported).
 * blanks: a code cell with solution regions: `given` are the instructor's lines around the blanks
 * (given.length = blanks.length + 1) and `blanks` what the student copy shows in each blank's place; the
 * grader runs the given lines with the student's text for each blank put in.
 * test: the bundle's test of that id.
 */
export type BundleCell =
  | { kind: "given"; id: string; cell_type: "code" | "markdown" | "raw"; source: string; metadata: Record<string, unknown> }
  | { kind: "blanks"; id: string; given: string[]; blanks: string[]; metadata: Record<string, unknown> }
  | { kind: "test"; id: string; test: string };

/** The grading bundle: kept by the instructor, never handed out. */
export interface Bundle {
  format: "workbook-lab-bundle";
  /** 2: with `cells` (grading assembles the notebook from them); 1: without (graded as submitted; no longer written). */
  version: 1 | 2;
  /** The lab's name: the source file name without .ipynb. */
  lab: string;
  /** sha256 of the source notebook file's cells (which version of the lab this grades). */
  source_sha256: string;
  max_score: number;
  /** Quick-mode parameter values of the source (metadata.workbook.quick), for --quick. */
  quick: Record<string, unknown> | null;
  tests: BundleTest[];
  /** The handed-out cells in order (version 2). Absent: the notebook is graded as submitted (self-checks). */
  cells?: BundleCell[];
}

/** The student notebook's metadata.lab. */
export interface StudentLabMeta {
  name: string;
  max_score: number;
  tests: Array<{ id: string; points: number; checksum: string }>;
}

export const BUNDLE_FORMAT = "workbook-lab-bundle";

/** The test metadata of a cell, or undefined for an ordinary cell; throws LabError for malformed metadata. */
export function testMeta(cell: Cell, where: string): TestCellMeta | undefined {
  const raw = cell.metadata.lab;
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new LabError(`${where}: metadata "lab" must be an object like {"points": 2, "id": "eval-fn"}, got ${JSON.stringify(raw)}`);
  }
  const m = raw as Record<string, unknown>;
  if (m.points === undefined && m.id === undefined) return undefined;
  if (typeof m.points !== "number" || !Number.isFinite(m.points) || m.points < 0) {
    throw new LabError(`${where}: lab.points must be a number >= 0, got ${JSON.stringify(m.points)}`);
  }
  const id = m.id ?? cell.id;
  if (typeof id !== "string" || !/^[A-Za-z0-9_.-]+$/.test(id)) {
    throw new LabError(`${where}: lab.id must be a name of letters, digits, "_", "-" or ".", got ${JSON.stringify(m.id)}`);
  }
  if (cell.cell_type !== "code") throw new LabError(`${where}: only code cells can be test cells (this one is ${cell.cell_type})`);
  return { id, points: m.points, ...(typeof m.checksum === "string" ? { checksum: m.checksum } : {}) };
}

/** Reads and checks a bundle file's JSON. */
export function parseBundle(text: string, file: string): Bundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LabError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  const b = json as Bundle;
  if (!b || typeof b !== "object" || b.format !== BUNDLE_FORMAT) throw new LabError(`${file}: not a lab grading bundle (no "format": "${BUNDLE_FORMAT}")`);
  if (b.version !== 2) throw new LabError(`${file}: bundle version ${String(b.version)} is not supported (need 2; run \`workbook lab generate\` again)`);
  if (!Array.isArray(b.cells)) throw new LabError(`${file}: the bundle has no "cells" list; run \`workbook lab generate\` again`);
  if (!Array.isArray(b.tests) || b.tests.some((t) => typeof t.id !== "string" || typeof t.source !== "string" || typeof t.points !== "number")) {
    throw new LabError(`${file}: the bundle's "tests" list is malformed`);
  }
  return b;
}
