/**
 * The student's answers in a cell with blanks: the text between the instructor's given lines. The cell as
 * handed out is given[0] + blank[0] + given[1] + ... + given[n]; a submission that kept the given lines and
 * changed only what lies between them yields one answer per blank. Undefined when the given lines were
 * edited, so that the answers cannot be told apart from them.
 */
export function extractAnswers(given: string[], submission: string): string[] | undefined {
  const exact = split(given, normalize(submission));
  if (exact) return exact;
  // Editors may add or drop trailing spaces: compare with trailing whitespace removed from every line.
  return split(given.map(trimLines), trimLines(normalize(submission)));
}

function normalize(s: string): string {
  return s.replace(/\r\n?/g, "\n");
}

function trimLines(s: string): string {
  return s.replace(/[ \t]+$/gm, "");
}

function split(given: string[], text: string): string[] | undefined {
  const first = given[0];
  const last = given[given.length - 1];
  if (!text.startsWith(first)) return undefined;
  if (text.length < first.length + last.length || !text.endsWith(last)) return undefined;
  const answers: string[] = [];
  let at = first.length;
  const end = text.length - last.length;
  for (let k = 1; k < given.length - 1; k++) {
    // The given lines between two blanks start on a line of their own: search for them at line starts only.
    const found = findAtLineStart(text, given[k], at, end);
    if (found < 0) return undefined;
    answers.push(text.slice(at, found));
    at = found + given[k].length;
  }
  if (at > end) return undefined;
  answers.push(text.slice(at, end));
  return answers;
}

function findAtLineStart(text: string, piece: string, from: number, end: number): number {
  for (let i = text.indexOf(piece, from); i >= 0 && i + piece.length <= end; i = text.indexOf(piece, i + 1)) {
    if (i === 0 || text[i - 1] === "\n") return i;
  }
  return -1;
}

/** The cell the grader runs: the given lines with the answers put in. */
export function fillAnswers(given: string[], answers: string[]): string {
  return given.map((g, i) => g + (answers[i] ?? "")).join("");
}
