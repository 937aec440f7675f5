/**
 * Maps lines of a cell's compiled JavaScript back to the cell's TypeScript lines. tslab's compiler emits no
 * source map, but the emitted statements keep the cell's order; lines are aligned by the identifiers,
 * numbers and strings they share (a weighted longest-common-subsequence), with tslab's rewrites
 * (`exports.x`, `(0, f)`) taken out first.
 */

const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"[^"]*"|'[^']*'|`[^`]*`/g;
const KEYWORDS = new Set(["const", "let", "var", "exports", "function", "return", "new", "this", "void", "undefined"]);

function tokens(line: string): Set<string> {
  const cleaned = line.replace(/\bexports\./g, "").replace(/\(0,\s*/g, "(");
  return new Set((cleaned.match(TOKEN) ?? []).filter((t) => !KEYWORDS.has(t)));
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common);
}

/** For each JavaScript line (0-based), the cell line (0-based) it came from, or -1 where none matched. */
export function alignLines(js: string, cell: string): number[] {
  const J = js.split("\n").map(tokens);
  const C = cell.split("\n").map(tokens);
  const n = J.length;
  const m = C.length;
  const best: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const s = similarity(J[i - 1], C[j - 1]);
      best[i][j] = Math.max(best[i - 1][j], best[i][j - 1], s > 0 ? best[i - 1][j - 1] + s : 0);
    }
  }
  const map = new Array<number>(n).fill(-1);
  for (let i = n, j = m; i > 0 && j > 0; ) {
    const s = similarity(J[i - 1], C[j - 1]);
    if (s > 0 && best[i][j] === best[i - 1][j - 1] + s) {
      map[i - 1] = j - 1;
      i--;
      j--;
    } else if (best[i][j] === best[i - 1][j]) i--;
    else j--;
  }
  return map;
}

/**
 * The cell line (1-based) for a JavaScript line (1-based): its aligned line; a statement spread over lines
 * that did not match takes the nearest aligned line above it. Null when nothing aligns.
 */
export function cellLineOf(map: readonly number[], jsLine: number): number | null {
  for (let i = Math.min(jsLine, map.length) - 1; i >= 0; i--) {
    if (map[i] >= 0) return map[i] + 1;
  }
  const first = map.find((l) => l >= 0);
  return first === undefined ? null : first + 1;
}
