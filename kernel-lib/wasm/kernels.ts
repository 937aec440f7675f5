// Entry point of the kernel module: everything exported here is callable from JavaScript.
// The module imports a shared memory and never allocates: JavaScript lays out every buffer.
export { gemmRange, packBytesA, packBytesB } from "./gemm";
export { softmaxCrossEntropy, sgdStep, sgdPlainF32, adamStep } from "./fused";
export { relu, reluBackward, addBias, sumRows } from "./elementwise";

/** First byte JavaScript may use (after any static data of this module). */
export function heapBase(): usize { return __heap_base; }
