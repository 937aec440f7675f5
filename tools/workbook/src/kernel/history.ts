/** The inputs a kernel executed (for history_request), as IPython's HistoryManager answers tail, range and search. */
export type HistoryEntry = [session: number, line: number, input: string | [string, string | null]];

export class History {
  private readonly inputs: Array<{ line: number; input: string }> = [];
  /** IPython numbers sessions; a kernel process is one session. */
  readonly session = 1;

  add(line: number, input: string): void {
    this.inputs.push({ line, input });
  }

  answer(content: Record<string, unknown>): HistoryEntry[] {
    const output = content.output === true;
    const entry = (e: { line: number; input: string }): HistoryEntry => [this.session, e.line, output ? [e.input, null] : e.input];
    const n = typeof content.n === "number" ? content.n : null;
    switch (content.hist_access_type) {
      case "tail":
        return (n === null ? this.inputs : this.inputs.slice(-n)).map(entry);
      case "range": {
        const start = typeof content.start === "number" ? content.start : 0;
        const stop = typeof content.stop === "number" ? content.stop : Number.POSITIVE_INFINITY;
        return this.inputs.filter((e) => e.line >= start && e.line < stop).map(entry);
      }
      case "search": {
        const re = globToRegExp(String(content.pattern ?? "*"));
        let found = this.inputs.filter((e) => re.test(e.input));
        if (content.unique === true) {
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input) !== undefined).reverse();
        }
        return (n === null ? found : found.slice(-n)).map(entry);
      }
      default:
        return [];
    }
  }
}

/** IPython's search patterns are globs (`*` any text, `?` one character), matched against the whole input. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${body}$`);
}
