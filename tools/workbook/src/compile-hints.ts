/**
 * Hints appended to TypeScript compile errors that students of a PyTorch course meet often. Each entry
 * matches a diagnostic by its TypeScript error code and message; `hint` receives the message's match and the
 * cell text the diagnostic points at (e.g. `a + b`) and returns one line. Add entries freely: the first
 * match wins.
 */
export interface CompileHint {
  /** TypeScript's diagnostic code (TS2365 is 2365); omitted: any code. */
  code?: number;
  message: RegExp;
  hint: (match: RegExpMatchArray, at: HintContext) => string;
}

/** Where a diagnostic points: the marked text, its line, and the span's columns (0-based) in that line. */
export interface HintContext {
  span: string;
  line: string;
  start: number;
  end: number;
}

const METHOD_OF: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "@": "matmul" };

/** `a + b` -> `a.add(b)` when the span is one binary operation, else null. */
function asMethodCall(spanText: string, op: string): string | null {
  const at = spanText.indexOf(` ${op} `);
  const method = METHOD_OF[op];
  if (at < 0 || !method) return null;
  const left = spanText.slice(0, at).trim();
  const right = spanText.slice(at + op.length + 2).trim();
  // A number on the left has no methods: no concrete rewrite then.
  if (!left || !right || left.includes("\n") || right.includes("\n") || /^[\d.]+$/.test(left)) return null;
  const wrap = (s: string) => (/^[\w$.()[\]]+$/.test(s) ? s : `(${s})`);
  return `${wrap(left)}.${method}(${right})`;
}

function operatorHint(op: string, spanText: string): string {
  const call = asMethodCall(spanText, op);
  const method = METHOD_OF[op] ?? "add/sub/mul/div";
  return `TypeScript has no operator overloading for tensors: write ${call ?? `a.${method}(b) with a tensor a`}.`;
}

/** The operand is `at.span`; the operator and the other operand are next to it on its line (`x * 2`). */
function binaryAround(at: HintContext, isLeft: boolean): { op: string; text: string } | null {
  const operand = /^[\w$.]+(?:\([^()]*\))?|^\d+(?:\.\d+)?/;
  if (isLeft) {
    const m = at.line.slice(at.end).match(/^\s*(\*\*|[*/%-])\s*/);
    const other = m && at.line.slice(at.end + m[0].length).match(operand);
    return m && other ? { op: m[1], text: `${at.span} ${m[1]} ${other[0]}` } : null;
  }
  const m = at.line.slice(0, at.start).match(/([\w$.]+(?:\([^()]*\))?)\s*(\*\*|[*/%-])\s*$/);
  return m ? { op: m[2], text: `${m[1]} ${m[2]} ${at.span}` } : null;
}

export const COMPILE_HINTS: readonly CompileHint[] = [
  {
    code: 2365,
    message: /^Operator '([^']+)' cannot be applied to types '[^']*(?:Tensor|Parameter)[^']*' and/,
    hint: (m, at) => operatorHint(m[1], at.span),
  },
  {
    code: 2365,
    message: /^Operator '([^']+)' cannot be applied to types '[^']*' and '[^']*(?:Tensor|Parameter)[^']*'/,
    hint: (m, at) => operatorHint(m[1], at.span),
  },
  {
    // `a * b`, `a - b`, `a / b` with a tensor on either side: TS2362 (left) / TS2363 (right).
    message: /^The (left|right)-hand side of an arithmetic operation must be of type 'any', 'number', 'bigint' or an enum type\.$/,
    hint: (m, at) => {
      const expr = binaryAround(at, m[1] === "left");
      return expr ? operatorHint(expr.op, expr.text) : "tensors have no arithmetic operators in TypeScript: use a.add(b), a.sub(b), a.mul(b), a.div(b).";
    },
  },
  {
    code: 2304,
    message: /^Cannot find name '(torch|nn|optim|F|d2l)'\.$/,
    hint: (m) => `'${m[1]}' is not defined yet: run the cell that imports it (import { torch, d2l } from "kernel-lib") first.`,
  },
  // the PyTorch spellings TypeScript cannot take (issue 12): each hint says what to write instead
  {
    code: 2503,
    message: /^Cannot find namespace '([\w$]+)'\.$/,
    hint: (m) =>
      `'${m[1]}' is a value here, not a namespace (const ${m[1]} = torch.${m[1]} makes only a value): write ` +
      `import ${m[1]} = torch.${m[1]}; or import { ${m[1]} } from "kernel-lib" to use it as a type (fc1: ${m[1]}.Linear).`,
  },
  {
    code: 2695,
    message: /^Left side of comma operator is unused and has no side effects\.$/,
    hint: (_m, at) =>
      /^\s*return\b/.test(at.line)
        ? "to return several values (Python's return logits, probas) write return [logits, probas] and type forward as " +
          "forward(x: torch.Tensor): [torch.Tensor, torch.Tensor]; destructure with const [logits, probas] = model(x)."
        : at.line.slice(0, at.start).lastIndexOf("[") > at.line.slice(0, at.start).lastIndexOf("]")
          ? "x[i, j] is JavaScript's comma operator (it reads x[j]): write x[i][j] for one element, or " +
            "x.index([rows, cols]) for PyTorch's advanced indexing."
          : "a comma outside a call or array keeps only the last value: write the values as an array [a, b].",
  },
  {
    code: 1005,
    message: /^'\]' expected\.$/,
    hint: (_m, at) =>
      /\[[^\]]*:/.test(at.line)
        ? "slices are not TypeScript syntax: x[1:3] is x.narrow(0, 1, 2) (dim, start, length), x[:, 0] is x.select(1, 0)."
        : "",
  },
  {
    // PyTorch's snake_case names (make_grid, state_dict, zero_grad) are camelCase here.
    message: /^Property '([a-z][a-z0-9]*(?:_[a-z0-9]+)+)' does not exist on type/,
    hint: (m) => `kernel-lib spells PyTorch's snake_case names in camelCase: write ${m[1].replace(/_([a-z0-9])/g, (_s, c: string) => c.toUpperCase())}.`,
  },
  {
    code: 2322,
    message: /^Type 'number' is not assignable to type 'Tensor'\.$/,
    hint: (_m, at) => (/\]\s*=[^=]/.test(at.line) ? "t[i] = v takes a tensor here: write t[i] = torch.tensor(v)." : ""),
  },
];

/** The first hint that matches a diagnostic, or null. */
export function compileHint(code: number | undefined, message: string, at: HintContext): string | null {
  for (const h of COMPILE_HINTS) {
    if (h.code !== undefined && h.code !== code) continue;
    const m = message.match(h.message);
    if (m) {
      const hint = h.hint(m, at);
      if (hint) return hint;
    }
  }
  return null;
}
