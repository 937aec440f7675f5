import { declareUnary } from "./kernel";

/**
 * The activation functions, each declared once: forward and derivative (PyTorch's formulas and conventions:
 * relu'(0) = 0, softplus reverts to the identity above its threshold, gelu exact with erf or with tanh).
 * Parameters arrive as p0, p1 (defaults and checks are in ops/unary.ts). To add one, see src/README.md.
 */
export const ACTIVATIONS = {
  // NaN stays NaN (PyTorch, and the wasm kernel)
  relu: declareUnary({ name: "relu", node: "Relu", forward: "(x > 0 || x !== x ? x : 0)", grad: "(x > 0 ? g : 0)", gradOf: "input", dtype: "keep" }),
  sigmoid: declareUnary({ name: "sigmoid", node: "Sigmoid", forward: "sigmoid(x)", grad: "g * y * (1 - y)", gradOf: "output" }),
  tanh: declareUnary({ name: "tanh", node: "Tanh", forward: "tanh(x)", grad: "g * (1 - y * y)", gradOf: "output" }),
  // p0 = negative slope
  leakyRelu: declareUnary({ name: "leakyRelu", node: "LeakyRelu", forward: "(x > 0 ? x : x * p0)", grad: "(x > 0 ? g : g * p0)", gradOf: "input" }),
  // p0 = alpha
  elu: declareUnary({ name: "elu", node: "Elu", forward: "(x > 0 ? x : p0 * expm1(x))", grad: "(x > 0 ? g : g * p0 * exp(x))", gradOf: "input" }),
  gelu: declareUnary({
    name: "gelu", node: "Gelu", forward: "0.5 * x * (1 + erf(x * INV_SQRT_2))",
    grad: "g * (0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x))", gradOf: "input",
  }),
  geluTanh: declareUnary({
    name: "geluTanh", node: "Gelu", forward: "0.5 * x * (1 + tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))",
    gradLets: [["t", "tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))"]],
    grad: "g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x))", gradOf: "input",
  }),
  silu: declareUnary({
    name: "silu", node: "Silu", forward: "x * sigmoid(x)",
    gradLets: [["s", "sigmoid(x)"]], grad: "g * (s * (1 + x * (1 - s)))", gradOf: "input",
  }),
  mish: declareUnary({
    name: "mish", node: "Mish", forward: "x * tanh(softplus(x, 1, 20))",
    gradLets: [["t", "tanh(softplus(x, 1, 20))"]], grad: "g * (t + x * (1 - t * t) * sigmoid(x))", gradOf: "input",
  }),
  // p0 = beta, p1 = threshold
  softplus: declareUnary({ name: "softplus", node: "Softplus", forward: "softplus(x, p0, p1)", grad: "(x * p0 > p1 ? g : g * sigmoid(x * p0))", gradOf: "input" }),
  softsign: declareUnary({ name: "softsign", node: "Softsign", forward: "x / (1 + abs(x))", grad: "g / ((1 + abs(x)) * (1 + abs(x)))", gradOf: "input" }),
  // p0 = min, p1 = max; the gradient flows strictly inside
  hardtanh: declareUnary({ name: "hardtanh", node: "Hardtanh", forward: "(x < p0 ? p0 : x > p1 ? p1 : x)", grad: "(x <= p0 || x >= p1 ? 0 : g)", gradOf: "input" }),
  logsigmoid: declareUnary({ name: "logsigmoid", node: "LogSigmoid", forward: "logsigmoid(x)", grad: "g * (1 - sigmoid(x))", gradOf: "input" }),
};
