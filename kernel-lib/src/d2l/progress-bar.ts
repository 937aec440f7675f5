import { showBundle } from "../display/backend";
import { ProgressRow, progressBundle } from "../display/progress-view";
import type { DisplayHandle } from "../display/types";

export interface ProgressBarOptions {
  /** shown before the bar (default "progress") */
  description?: string;
  /** least time between two redraws in ms (default 250); the first and the final state always draw */
  intervalMs?: number;
  /** clock in milliseconds (default Date.now) */
  now?: () => number;
}

/**
 * d2l.ProgressBar: a live progress bar for long loops, like tqdm. In a notebook it is ONE display updated in
 * place (a few times a second); outside one it prints throttled progress lines to stderr.
 *
 *   const bar = new d2l.ProgressBar(numEpochs, { description: "epochs" });
 *   for (...) { ...; bar.update(); }
 *   bar.close();
 */
export class ProgressBar {
  readonly total: number | null;
  readonly description: string;
  private count = 0;
  private state: ProgressRow["state"] = "running";
  private message: string | undefined;
  private readonly startedAt: number;
  private endedAt: number | null = null;
  private lastDrawAt: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly handle: DisplayHandle;

  /** `total` items (null when unknown: the bar is indeterminate and shows the count). */
  constructor(total: number | null, opts: ProgressBarOptions = {}) {
    if (total !== null && !(Number.isInteger(total) && total >= 0)) {
      throw new Error(`ProgressBar: total must be a non-negative integer or null, got ${JSON.stringify(total)}`);
    }
    if (opts.intervalMs !== undefined && !(opts.intervalMs >= 0)) {
      throw new Error(`ProgressBar: intervalMs must be >= 0, got ${opts.intervalMs}`);
    }
    this.total = total;
    this.description = opts.description ?? "progress";
    this.intervalMs = opts.intervalMs ?? 250;
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.lastDrawAt = this.startedAt;
    this.handle = showBundle(this.bundle(this.startedAt), { live: true });
  }

  /** Items done so far. */
  get n(): number {
    return this.count;
  }

  /** Advances by `n` items (default 1); redraws at most once per intervalMs. */
  update(n = 1): void {
    if (!Number.isFinite(n) || n < 0) throw new Error(`ProgressBar.update: n must be a finite number >= 0, got ${n}`);
    this.set(this.count + n);
  }

  /** Sets the number of items done. */
  set(count: number): void {
    if (!Number.isFinite(count) || count < 0) throw new Error(`ProgressBar.set: count must be a finite number >= 0, got ${count}`);
    if (this.state !== "running") throw new Error(`ProgressBar.set: the bar "${this.description}" is already ${this.state === "done" ? "closed" : "failed"}`);
    this.count = count;
    const t = this.now();
    if (t - this.lastDrawAt >= this.intervalMs) this.draw(t);
  }

  /** Marks the bar finished and draws its final state. Calling it again does nothing. */
  close(): void {
    if (this.state !== "running") return;
    this.finish("done");
  }

  /** Marks the bar failed with `error`'s message and draws it. */
  fail(error: unknown): void {
    if (this.state !== "running") return;
    this.message = error instanceof Error ? error.message : String(error);
    this.finish("error");
  }

  private finish(state: ProgressRow["state"]): void {
    this.state = state;
    this.endedAt = this.now();
    this.draw(this.endedAt);
  }

  private draw(t: number): void {
    this.lastDrawAt = t;
    this.handle.update(this.bundle(t));
  }

  private bundle(t: number) {
    const seconds = ((this.endedAt ?? t) - this.startedAt) / 1000;
    const row: ProgressRow = {
      label: this.description,
      done: this.count,
      total: this.total,
      unit: "items",
      rate: seconds > 0 ? this.count / seconds : null,
      state: this.state,
      message: this.message,
    };
    return progressBundle(null, [row]);
  }
}
