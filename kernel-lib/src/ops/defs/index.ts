import type { ElementwiseKernel } from "../../backends/backend";
import { ACTIVATIONS } from "./activations";
import { BINARY, MATH_UNARY, MATH_UNARY_DECLS } from "./math";
import type { UnaryDef } from "./kernel";

export { ACTIVATIONS } from "./activations";
export { BINARY, MATH_UNARY_DECLS } from "./math";
export { declareUnary, kernel } from "./kernel";
export type { UnaryDecl, UnaryDef } from "./kernel";

/** Every declared unary function with its derivative, by name. */
export const UNARY_DEFS = { ...ACTIVATIONS, ...MATH_UNARY_DECLS };

type ForwardKernels<T extends Record<string, UnaryDef>> = { [K in keyof T]: ElementwiseKernel };
function forwardKernels<T extends Record<string, UnaryDef>>(defs: T): ForwardKernels<T> {
  return Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, d.forwardKernel])) as ForwardKernels<T>;
}

/** Every unary kernel by name: the math table plus the forward of each declared function. */
export const UNARY = { ...MATH_UNARY, ...forwardKernels(UNARY_DEFS) };

export type UnaryOp = keyof typeof UNARY;
export type BinaryOp = keyof typeof BINARY;
