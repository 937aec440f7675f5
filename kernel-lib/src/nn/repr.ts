/** Python's printing of a float hyper-parameter (1 prints as "1.0"), so module reprs match PyTorch's. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  return String(x);
}
