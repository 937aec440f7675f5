/**
 * fma(a, b, c) = a·b + c rounded once, for doubles (JavaScript has no Math.fma). PyTorch's compiled kernels
 * contract `start + step * i` into a fused multiply-add, so arange reproduces its values only with one.
 * Exact: each double is m·2^e with integer m, the sum is formed in BigInt and rounded once by Number().
 */
const view = new DataView(new ArrayBuffer(8));

/** [mantissa, exponent] with x = mantissa · 2^exponent exactly (x finite). */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  return [sign * m, (biased === 0 ? 1 : biased) - 1075];
}

export function fma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0) return a * b + c;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = (ma * mb << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return a * b + c; // the sign of an exact zero as IEEE gives it
  // Number() rounds to nearest once; scaling by 2^e is exact for results in the normal range
  const r = scale(sum, e);
  return Number.isNaN(r) ? a * b + c : r;
}

/** Number(n)·2^e with one rounding (operands of wildly different magnitude fall back to a·b + c). */
function scale(n: bigint, e: number): number {
  const magnitude = (n < 0n ? -n : n).toString(16).length * 4;
  if (magnitude > 1000 || e > 970 || e < -1022) return Number.NaN;
  return Number(n) * 2 ** e;
}
