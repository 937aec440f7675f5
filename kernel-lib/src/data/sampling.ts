import { Generator } from "../tensor/random";

/** A uniformly random permutation of 0..n-1 (Fisher-Yates, drawing from `generator`). */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = generator.randint(0, i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}
