import { declareUnary, kernel } from "./kernel";

/** Elementwise math with a fused derivative kernel, declared like the activations. */
export const MATH_UNARY_DECLS = {
  sqrt: declareUnary({ name: "sqrt", node: "Sqrt", forward: "sqrt(x)", grad: "g / (2 * y)", gradOf: "output" }),
  abs: declareUnary({ name: "abs", node: "Abs", forward: "abs(x)", grad: "(x > 0 ? g : x < 0 ? -g : 0)", gradOf: "input", dtype: "keep" }),
  // p0/p1 = bounds (-Infinity/Infinity when absent); the gradient passes where p0 <= x <= p1
  clamp: declareUnary({ name: "clamp", node: "Clamp", forward: "(x < p0 ? p0 : x > p1 ? p1 : x)", grad: "(x < p0 || x > p1 ? 0 : g)", gradOf: "input", dtype: "keep" }),
};

/** Elementwise math of one input whose backward (if any) is composed from other ops in ops/unary.ts. */
export const MATH_UNARY = {
  neg: kernel("neg", ["x"], "-x"),
  exp: kernel("exp", ["x"], "exp(x)"),
  log: kernel("log", ["x"], "log(x)"),
  sign: kernel("sign", ["x"], "(x > 0 ? 1 : x < 0 ? -1 : x)"),
  sin: kernel("sin", ["x"], "sin(x)"),
  cos: kernel("cos", ["x"], "cos(x)"),
  floor: kernel("floor", ["x"], "floor(x)"),
  ceil: kernel("ceil", ["x"], "ceil(x)"),
  round: kernel("round", ["x"], "round(x)"),
  not: kernel("not", ["x"], "(x ? 0 : 1)"),
  addScalar: kernel("addScalar", ["x"], "x + p0"),
};

/** Elementwise functions of two broadcast inputs (comparisons and logic give 0/1). */
export const BINARY = {
  add: kernel("add", ["a", "b"], "a + b"),
  sub: kernel("sub", ["a", "b"], "a - b"),
  mul: kernel("mul", ["a", "b"], "a * b"),
  div: kernel("div", ["a", "b"], "a / b"),
  pow: kernel("pow", ["a", "b"], "pow(a, b)"),
  maximum: kernel("maximum", ["a", "b"], "(a !== a || b !== b ? NaN : a > b ? a : b)"),
  minimum: kernel("minimum", ["a", "b"], "(a !== a || b !== b ? NaN : a < b ? a : b)"),
  eq: kernel("eq", ["a", "b"], "(a === b ? 1 : 0)"),
  ne: kernel("ne", ["a", "b"], "(a !== b ? 1 : 0)"),
  gt: kernel("gt", ["a", "b"], "(a > b ? 1 : 0)"),
  lt: kernel("lt", ["a", "b"], "(a < b ? 1 : 0)"),
  ge: kernel("ge", ["a", "b"], "(a >= b ? 1 : 0)"),
  le: kernel("le", ["a", "b"], "(a <= b ? 1 : 0)"),
  and: kernel("and", ["a", "b"], "(a && b ? 1 : 0)"),
  or: kernel("or", ["a", "b"], "(a || b ? 1 : 0)"),
  // pow(x, p0) for a number exponent: d/dx x^p = p x^(p-1), 0 for p = 0
  powGradBase: kernel("powGradBase", ["g", "x"], "(p0 === 0 ? 0 : g * p0 * pow(x, p0 - 1))"),
};
