import * as ts from "typescript";
import { LabError } from "./format";
import { FILL_IN, notImplementedMessage, Region } from "./markers";

/** A name declared inside a solution region that code after the region refers to. */
export interface KeptDeclaration {
  name: string;
  /** The author's type annotation, if any. */
  type?: string;
}

export interface BlankedCell {
  code: string;
  /** The message each blank throws, in order. */
  messages: string[];
  /** The source's lines around the regions (blanks.length + 1 pieces); code = given[0] + blanks[0] + given[1] + ... */
  given: string[];
  /** What the student copy has in each region's place (whole lines, each ending in a newline). */
  blanks: string[];
}

/**
 * The student version of a code cell: each solution region becomes `// FILL IN HERE`, a `let` for every name
 * it declared that code after it (or, at the top of the cell, later cells) uses, and a statement that throws
 * `Error("not implemented: <hint>")`. The throw ends its block, so the rest of the cell is unreachable but
 * still type-checks in tslab (the kept `let`s keep the names declared, with the author's annotation when
 * there is one). Throws LabError when a region does not hold whole statements.
 */
export function blankSolutions(source: string, regions: Region[], where: string, blankNumber: (i: number) => number): BlankedCell {
  const solutions = regions.filter((r) => r.kind === "solution");
  if (solutions.length === 0) return { code: source, messages: [], given: [source], blanks: [] };
  const messages: string[] = [];
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineStarts = sf.getLineStarts();
  const lines = source.split("\n");
  const out: string[] = [];
  const given: string[] = [];
  const blanks: string[] = [];
  let next = 0;
  solutions.forEach((r, k) => {
    given.push(lines.slice(next, r.begin).map((l) => l + "\n").join(""));
    const blank: string[] = [];
    const start = lineStarts[r.begin];
    const end = r.end + 1 < lineStarts.length ? lineStarts[r.end + 1] : source.length;
    const kept = escapingDeclarations(sf, start, end, `${where}, line ${r.begin + 1}`);
    out.push(...lines.slice(next, r.begin));
    blank.push(r.indent + FILL_IN);
    for (const d of kept) blank.push(`${r.indent}let ${d.name}${d.type ? `: ${d.type}` : ""};`);
    const message = notImplementedMessage(r.hint, `fill in blank ${blankNumber(k)}`);
    messages.push(message);
    blank.push(`${r.indent}throw new Error(${JSON.stringify(message)});`);
    out.push(...blank);
    blanks.push(blank.map((l) => l + "\n").join(""));
    next = r.end + 1;
  });
  out.push(...lines.slice(next));
  given.push(lines.slice(next).join("\n"));
  // A region on the cell's last lines: the cell does not end in a newline, nor does its last blank.
  if (next === lines.length) blanks[blanks.length - 1] = blanks[blanks.length - 1].slice(0, -1);
  const blanked = out.join("\n");
  if (given.map((g, i) => g + (blanks[i] ?? "")).join("") !== blanked) {
    throw new LabError(`${where}: internal error: the blank cell does not split into given lines and blanks`);
  }
  const problem = syntaxError(blanked);
  if (problem) {
    throw new LabError(`${where}: the student version does not parse (${problem}); a solution region must hold whole statements, e.g. a function's body, not part of an expression`);
  }
  return { code: blanked, messages, given, blanks };
}

/** The first syntax error of a TypeScript cell, or undefined. */
export function syntaxError(code: string): string | undefined {
  const r = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } });
  const d = r.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (!d) return undefined;
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${line + 1}:${character + 1} ${text}`;
  }
  return text;
}

/** Declarations made by statements lying wholly in [start, end) whose names are used after `end` (or are cell-level). */
export function escapingDeclarations(sf: ts.SourceFile, start: number, end: number, where: string): KeptDeclaration[] {
  const found: KeptDeclaration[] = [];
  const visitStatements = (statements: readonly ts.Statement[], container: ts.Node) => {
    for (const st of statements) {
      const s = st.getStart(sf);
      if (s >= start && st.end <= end) {
        for (const d of declaredBy(st, sf, where)) {
          if (ts.isSourceFile(container) || usedAfter(container, d.name, end, sf)) found.push(d);
        }
      } else if (st.end > start && s < end) {
        ts.forEachChild(st, visit);
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) visitStatements(node.statements, node);
    else ts.forEachChild(node, visit);
  };
  visitStatements(sf.statements, sf);
  return found;
}

function declaredBy(st: ts.Statement, sf: ts.SourceFile, where: string): KeptDeclaration[] {
  if (ts.isVariableStatement(st)) {
    const out: KeptDeclaration[] = [];
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name)) out.push({ name: d.name.text, ...(d.type ? { type: d.type.getText(sf) } : {}) });
      else out.push(...bindingNames(d.name).map((name) => ({ name })));
    }
    return out;
  }
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) return [{ name: st.name.text }];
  if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
    throw new LabError(`${where}: an import inside a solution region; put imports before "// BEGIN SOLUTION" (the student copy needs them)`);
  }
  if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
    throw new LabError(`${where}: type "${st.name.text}" is declared inside a solution region; declare types outside it`);
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function usedAfter(container: ts.Node, name: string, end: number, sf: ts.SourceFile): boolean {
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === name && n.getStart(sf) >= end) used = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(container, visit);
  return used;
}
