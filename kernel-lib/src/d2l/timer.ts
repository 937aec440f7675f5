function nowSeconds(): number {
  return (typeof performance !== "undefined" ? performance.now() : Date.now()) / 1000;
}

/** d2l.Timer: records multiple running times, in seconds. */
export class Timer {
  readonly times: number[] = [];
  private tik = 0;

  constructor() {
    this.start();
  }

  /** Starts the timer. */
  start(): void {
    this.tik = nowSeconds();
  }

  /** Stops the timer, records the time since start() and returns it. */
  stop(): number {
    this.times.push(nowSeconds() - this.tik);
    return this.times[this.times.length - 1];
  }

  /** The average recorded time; an error before the first stop(), where the book divides by zero. */
  avg(): number {
    if (this.times.length === 0) throw new Error("Timer.avg: no times recorded yet; call stop() first");
    return this.sum() / this.times.length;
  }

  /** The total recorded time. */
  sum(): number {
    return this.times.reduce((a, b) => a + b, 0);
  }

  /** The accumulated times. */
  cumsum(): number[] {
    let total = 0;
    return this.times.map((t) => (total += t));
  }
}
