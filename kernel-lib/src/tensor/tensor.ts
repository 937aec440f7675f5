/**
 * The public Tensor: the class and its method declarations (tensor-class.ts) with the method bodies installed
 * by ops/methods.ts. Everything outside tensor/ and ops/ imports Tensor from here; ops/ import tensor-class.ts.
 */
import "../ops/methods";

export * from "./tensor-class";
