/** Anything the book passes to float(): a number or a one-element tensor. */
export type Scalar = number | { item(): number };

function toNumber(v: Scalar, i: number): number {
  if (typeof v === "number") return v;
  if (v !== null && typeof v === "object" && typeof v.item === "function") return v.item();
  throw new Error(`Accumulator.add: argument ${i} must be a number or a one-element tensor, got ${JSON.stringify(v)}`);
}

/**
 * d2l.Accumulator: sums n variables. `metric.add(l, acc, n)`, then `metric.get(0)` or `metric[0]`
 * (indices read like the book's metric[0]).
 */
export class Accumulator {
  [index: number]: number;
  data: number[];

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Accumulator: n must be a positive integer, got ${n}`);
    this.data = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      Object.defineProperty(this, i, { get: () => this.data[i], enumerable: false });
    }
  }

  /** Adds one value to each variable; exactly n values. */
  add(...args: Scalar[]): void {
    if (args.length !== this.data.length) {
      throw new Error(`Accumulator.add: expected ${this.data.length} values, got ${args.length}`);
    }
    this.data = this.data.map((a, i) => a + toNumber(args[i], i));
  }

  /** Sets every variable back to 0. */
  reset(): void {
    this.data = this.data.map(() => 0);
  }

  /** The i-th sum. */
  get(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.data.length) {
      throw new Error(`Accumulator.get: index ${i} is out of range for ${this.data.length} variables`);
    }
    return this.data[i];
  }

  get length(): number {
    return this.data.length;
  }
}
