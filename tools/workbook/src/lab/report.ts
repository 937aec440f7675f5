import type { Bundle } from "./format";
import type { StudentResult } from "./grade";

/** grades.csv: one row per submission; a column per test (points awarded), then total, status and flags. */
export function gradesCsv(bundle: Bundle, results: StudentResult[]): string {
  const ids = bundle.tests.map((t) => t.id);
  const head = ["student", ...ids, "score", "max_score", "status", "flags"];
  const rows = results.map((r) => [
    r.student,
    ...ids.map((id) => String(r.tests.find((t) => t.id === id)?.points ?? 0)),
    String(r.score),
    String(r.max_score),
    r.status,
    [...r.tests.filter((t) => t.integrity !== "ok").map((t) => `${t.integrity}:${t.id}`), ...(r.flag_codes ?? []).filter((c) => !/^(modified|missing):/.test(c))].join(" "),
  ]);
  return [head, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The per-student JSON file. */
export function studentJson(r: StudentResult): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/** A plain-text table of the class for the terminal. */
export function classTable(results: StudentResult[], elapsed: Map<string, number>): string {
  const rows = results.map((r) => [r.student, `${r.score}/${r.max_score}`, r.status, `${((elapsed.get(r.student) ?? 0) / 1000).toFixed(1)}s`, r.flags.length ? `${r.flags.length} flag(s)` : ""]);
  const head = ["student", "score", "status", "time", "notes"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((v, c) => v.padEnd(widths[c])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}
