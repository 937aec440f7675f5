import type { ElementwiseKernel } from "../../backends/backend";

/** An elementwise kernel (see ElementwiseKernel for the expression language every backend compiles). */
export function kernel(name: string, args: readonly string[], expr: string, lets?: readonly (readonly [string, string])[]): ElementwiseKernel {
  return Object.freeze({ name, args: Object.freeze([...args]), expr, ...(lets ? { lets } : {}) });
}

/**
 * One differentiable elementwise function of one input, declared once: its forward expression and its
 * derivative, both in the kernel expression language. ops/unary.ts turns a declaration into the op (dtype
 * rule, autograd node with one fused backward kernel); each backend compiles the two kernels.
 */
export interface UnaryDecl {
  /** kernel name, also the key of UNARY ("gelu") */
  readonly name: string;
  /** the autograd node is `${node}Backward`; also names the op in errors ("Gelu") */
  readonly node: string;
  /** out as an expression of x (and the op's parameters p0, p1) */
  readonly forward: string;
  readonly forwardLets?: readonly (readonly [string, string])[];
  /**
   * The input's gradient: the incoming gradient `g` times d out / d x, as an expression of g and either the
   * input `x` or the output `y` (whichever is cheaper; that one is saved for backward).
   */
  readonly grad: string;
  readonly gradLets?: readonly (readonly [string, string])[];
  readonly gradOf: "input" | "output";
  /** result dtype: "float" (integer inputs give float32, the default) or "keep" (bool gives int32) */
  readonly dtype?: "float" | "keep";
}

/** A declaration with its two kernels built. */
export interface UnaryDef extends UnaryDecl {
  readonly forwardKernel: ElementwiseKernel;
  readonly gradKernel: ElementwiseKernel;
}

export function declareUnary(decl: UnaryDecl): UnaryDef {
  return Object.freeze({
    ...decl,
    forwardKernel: kernel(decl.name, ["x"], decl.forward, decl.forwardLets),
    gradKernel: kernel(`${decl.name}Grad`, ["g", decl.gradOf === "input" ? "x" : "y"], decl.grad, decl.gradLets),
  });
}
