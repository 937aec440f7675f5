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

/** The grading bundle: kept by the instructor, never handed out. */
export interface Bundle {
  format: "workbook-lab-bundle";
  version: 1;
  /** The lab's name: the source file name without .ipynb. */
  lab: string;
  /** sha256 of the source notebook file's cells (which version of the lab this grades). */
  source_sha256: string;
  max_score: number;
  /** Quick-mode parameter values of the source (metadata.workbook.quick), for --quick. */
  quick: Record<string, unknown> | null;
  tests: BundleTest[];
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
  if (b.version !== 1) throw new LabError(`${file}: bundle version ${String(b.version)} is not supported (need 1)`);
  if (!Array.isArray(b.tests) || b.tests.some((t) => typeof t.id !== "string" || typeof t.source !== "string" || typeof t.points !== "number")) {
    throw new LabError(`${file}: the bundle's "tests" list is malformed`);
  }
  return b;
}
