/**
 * Compiles the elementwise expression language (ElementwiseKernel, backends/backend.ts) to a WGSL f32 expression.
 * Values are f32; comparisons and logic are WGSL bools, turned into 0/1 where a number is needed. Library calls
 * go to the kl_* helpers of library.ts, which pin down what WGSL leaves undefined (log and sqrt of negatives,
 * pow of negative bases, NaN in min/max), and `v !== v` becomes a NaN test on the bits, which no shader compiler
 * may fold away.
 */

type Node =
  | { t: "num"; v: number }
  | { t: "id"; name: string }
  | { t: "un"; op: "-" | "!"; x: Node }
  | { t: "bin"; op: string; a: Node; b: Node }
  | { t: "cond"; c: Node; a: Node; b: Node }
  | { t: "call"; f: string; args: Node[] };

const TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(===|!==|<=|>=|&&|\|\||[-+*/<>!?:(),]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`webgpu: cannot compile the elementwise expression ${JSON.stringify(src)} at ${JSON.stringify(src.slice(at))}`);
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  "||": 1, "&&": 2, "===": 3, "!==": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6,
};

function parse(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (t: string): void => {
    if (tokens[pos] !== t) throw new Error(`webgpu: expected ${t} in ${JSON.stringify(src)}, got ${tokens[pos] ?? "the end"}`);
    pos++;
  };
  const primary = (): Node => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`webgpu: unexpected end of ${JSON.stringify(src)}`);
    if (t === "(") {
      const e = ternary();
      expect(")");
      return e;
    }
    if (t === "-" || t === "!") return { t: "un", op: t, x: unary() };
    if (/^[\d.]/.test(t)) return { t: "num", v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === "(") {
        pos++;
        const args: Node[] = [];
        if (peek() !== ")") {
          for (;;) {
            args.push(ternary());
            if (peek() === ",") pos++;
            else break;
          }
        }
        expect(")");
        return { t: "call", f: t, args };
      }
      return { t: "id", name: t };
    }
    throw new Error(`webgpu: unexpected ${t} in ${JSON.stringify(src)}`);
  };
  const unary = (): Node => primary();
  const binary = (minPrec: number): Node => {
    let left = unary();
    for (;;) {
      const op = peek();
      const prec = op === undefined ? undefined : BINARY_PRECEDENCE[op];
      if (prec === undefined || prec < minPrec) return left;
      pos++;
      const right = binary(prec + 1);
      left = { t: "bin", op: op!, a: left, b: right };
    }
  };
  const ternary = (): Node => {
    const c = binary(1);
    if (peek() !== "?") return c;
    pos++;
    const a = ternary();
    expect(":");
    const b = ternary();
    return { t: "cond", c, a, b };
  };
  const e = ternary();
  if (pos !== tokens.length) throw new Error(`webgpu: unexpected ${tokens[pos]} in ${JSON.stringify(src)}`);
  return e;
}

interface Code {
  code: string;
  bool: boolean;
}

const CONSTANTS: Record<string, number> = {
  SQRT_2_OVER_PI: Math.sqrt(2 / Math.PI), INV_SQRT_2: Math.SQRT1_2, INV_SQRT_2PI: 1 / Math.sqrt(2 * Math.PI),
};

const CALLS: Record<string, number> = {
  exp: 1, log: 1, sqrt: 1, abs: 1, sin: 1, cos: 1, tanh: 1, floor: 1, ceil: 1, trunc: 1, round: 1, pow: 2, min: 2,
  max: 2, log1p: 1, expm1: 1, erf: 1, sigmoid: 1, softplus: 3, logsigmoid: 1,
};

/** An f32 literal WGSL accepts (always with a decimal point or exponent). */
export function f32Literal(v: number): string {
  if (Number.isNaN(v)) return "kl_nan()";
  if (v === Infinity) return "kl_inf()";
  if (v === -Infinity) return "(-kl_inf())";
  const f = Math.fround(v);
  const s = String(f);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

const sameNode = (a: Node, b: Node): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `names` maps identifiers (the kernel's args, p0/p1, its lets) to WGSL expressions; anything else must be a
 * constant of the language.
 */
export function compileExpression(src: string, names: ReadonlyMap<string, string>): string {
  const num = (c: Code): string => (c.bool ? `select(0.0, 1.0, ${c.code})` : c.code);
  const bool = (c: Code): string => (c.bool ? c.code : `(${c.code} != 0.0)`);
  const emit = (n: Node): Code => {
    switch (n.t) {
      case "num":
        return { code: f32Literal(n.v), bool: false };
      case "id": {
        const mapped = names.get(n.name);
        if (mapped !== undefined) return { code: mapped, bool: false };
        if (n.name in CONSTANTS) return { code: f32Literal(CONSTANTS[n.name]), bool: false };
        if (n.name === "NaN") return { code: "kl_nan()", bool: false };
        if (n.name === "Infinity") return { code: "kl_inf()", bool: false };
        throw new Error(`webgpu: unknown name ${n.name} in the elementwise expression ${JSON.stringify(src)}`);
      }
      case "un":
        return n.op === "-" ? { code: `(-${num(emit(n.x))})`, bool: false } : { code: `(!${bool(emit(n.x))})`, bool: true };
      case "bin": {
        if ((n.op === "!==" || n.op === "===") && sameNode(n.a, n.b)) {
          const test = `kl_isnan(${num(emit(n.a))})`;
          return { code: n.op === "!==" ? test : `(!${test})`, bool: true };
        }
        const a = emit(n.a), b = emit(n.b);
        if (n.op === "&&" || n.op === "||") return { code: `(${bool(a)} ${n.op} ${bool(b)})`, bool: true };
        const cmp: Record<string, string> = { "===": "==", "!==": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=" };
        if (n.op in cmp) return { code: `(${num(a)} ${cmp[n.op]} ${num(b)})`, bool: true };
        return { code: `(${num(a)} ${n.op} ${num(b)})`, bool: false };
      }
      case "cond":
        return { code: `select(${num(emit(n.b))}, ${num(emit(n.a))}, ${bool(emit(n.c))})`, bool: false };
      case "call": {
        const arity = CALLS[n.f];
        if (arity === undefined) throw new Error(`webgpu: unknown function ${n.f} in the elementwise expression ${JSON.stringify(src)}`);
        if (n.args.length !== arity) throw new Error(`webgpu: ${n.f} takes ${arity} arguments in ${JSON.stringify(src)}`);
        return { code: `kl_${n.f}(${n.args.map((a) => num(emit(a))).join(", ")})`, bool: false };
      }
    }
  };
  return num(emit(parse(src)));
}
