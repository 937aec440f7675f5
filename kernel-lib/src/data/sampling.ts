import { Generator, fillPermutation } from "../tensor/random";

/** A uniformly random permutation of 0..n-1 (Fisher-Yates, drawing from `generator`). */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const perm = new Int32Array(n);
  fillPermutation(perm, generator);
  return perm;
}
