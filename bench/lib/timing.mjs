// Timing helpers shared by the benchmark scripts: warm up, then the median of repeated runs.

/**
 * Best (minimum) seconds of fn() after `warmup` calls, over at least minReps runs and until budgetSeconds have
 * passed. The minimum, not the median: the development machine is shared, and other processes only ever add time.
 */
export function bestSeconds(fn, { warmup = 2, minReps = 5, maxReps = 1000, budgetSeconds = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const end = performance.now() + budgetSeconds * 1000;
  while (times.length < minReps || (performance.now() < end && times.length < maxReps)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return Math.min(...times);
}

export function gflops(m, k, n, seconds) {
  return (2 * m * k * n) / seconds / 1e9;
}

/** Deterministic fill in [-1, 1) (no Math.random, so every library multiplies the same numbers). */
export function filled(length, seed) {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}
