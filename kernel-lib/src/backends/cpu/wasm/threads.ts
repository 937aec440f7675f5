// Worker threads over the runtime's shared memory. Dispatch is synchronous: the caller posts column ranges in
// the control block, wakes the workers with Atomics.notify, does its own range, then waits for them (a bounded spin,
// then Atomics.wait).
// Workers are unref'd once online (they never keep the process alive) and are created once per runtime.
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import { CTRL_WORDS, MAX_SLOTS, onRuntimeReplaced, WasmRuntime } from "./runtime";

// Control block words.
const SEQ = 0;
const PENDING = 1;
const ERROR = 2;
const JOB_BASE = 16;
const JOB_WORDS = 16;
// Job words, relative to JOB_BASE + slot * JOB_WORDS.
const J_SEQ = 0, J_READY = 1, J_ARGS = 2; // J_ARGS..J_ARGS+11: transA transB m n k a b c acc bias relu n0; then n1
const ARG_COUNT = 13;
/** Loads of the pending count the caller spins through before Atomics.wait (a few hundred µs at most). */
const CALLER_SPIN_LOADS = 1 << 18;

if (JOB_BASE + MAX_SLOTS * JOB_WORDS > CTRL_WORDS) throw new Error("wasm threads: control block too small");

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, ctrlOffset, slot, scratch } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctrl = new Int32Array(memory.buffer, ctrlOffset, ${CTRL_WORDS});
const job = ${JOB_BASE} + slot * ${JOB_WORDS};
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.store(ctrl, job + ${J_READY}, 1);
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  const s = Atomics.load(ctrl, ${SEQ});
  if (s === seen) continue;
  seen = s;
  if (Atomics.load(ctrl, job + ${J_SEQ}) !== s) continue;
  try {
    const g = (i) => ctrl[job + ${J_ARGS} + i];
    ex.gemmRange(g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7), g(8), g(9), g(10), g(11), g(12), scratch[0], scratch[1], scratch[2]);
  } catch (e) {
    Atomics.store(ctrl, ${ERROR}, 1);
  }
  if (Atomics.sub(ctrl, ${PENDING}, 1) === 1) Atomics.notify(ctrl, ${PENDING});
}
`;

function workersFromEnv(): number {
  const value = typeof process !== "undefined" ? process.env.KERNEL_LIB_THREADS : undefined;
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  if (value === undefined || value === "") return Math.max(0, Math.min(cores, MAX_SLOTS) - 1);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SLOTS) {
    throw new Error(`KERNEL_LIB_THREADS must be an integer from 1 to ${MAX_SLOTS} (threads including the caller), got "${value}"`);
  }
  return n - 1;
}

class ThreadPool {
  private readonly workers: Worker[] = [];
  readonly ready: Promise<number>;
  private readonly ctrl: Int32Array;

  constructor(private readonly rt: WasmRuntime, count: number) {
    this.ctrl = new Int32Array(rt.memory.buffer, rt.ctrlOffset, CTRL_WORDS);
    for (let slot = 1; slot <= count; slot++) Atomics.store(this.ctrl, JOB_BASE + slot * JOB_WORDS + J_READY, 0);
    const started: Array<Promise<void>> = [];
    for (let slot = 1; slot <= count; slot++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: rt.module, memory: rt.memory, ctrlOffset: rt.ctrlOffset, slot, scratch: rt.slot(slot) },
      });
      // Referenced only while starting, so awaiting `ready` cannot hang on an idle event loop.
      started.push(new Promise<void>((resolve) => {
        worker.once("online", () => resolve());
        worker.once("error", () => resolve());
      }).then(() => { worker.unref(); }));
      this.workers.push(worker);
    }
    this.ready = Promise.all(started).then(async () => {
      // "online" precedes instantiation; poll the ready words the workers set once they can take jobs.
      for (let tries = 0; tries < 2000 && this.readySlots().length < count; tries++) await new Promise((r) => setTimeout(r, 1));
      return this.readySlots().length;
    });
  }

  readySlots(): number[] {
    const slots: number[] = [];
    for (let slot = 1; slot <= this.workers.length; slot++) {
      if (Atomics.load(this.ctrl, JOB_BASE + slot * JOB_WORDS + J_READY) === 1) slots.push(slot);
    }
    return slots;
  }

  /** Runs gemmRange over column chunks: chunk 0 on the caller, the others on ready workers. */
  gemm(args: number[], chunks: Array<[number, number]>, slots: number[]): void {
    const ctrl = this.ctrl;
    const seq = (Atomics.load(ctrl, SEQ) + 1) | 0;
    for (let i = 1; i < chunks.length; i++) {
      const job = JOB_BASE + slots[i - 1] * JOB_WORDS;
      for (let j = 0; j < 11; j++) ctrl[job + J_ARGS + j] = args[j];
      ctrl[job + J_ARGS + 11] = chunks[i][0];
      ctrl[job + J_ARGS + 12] = chunks[i][1];
      Atomics.store(ctrl, job + J_SEQ, seq);
    }
    Atomics.store(ctrl, PENDING, chunks.length - 1);
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ);
    const [sa, sb, tmp] = this.rt.slot(0);
    const a = args;
    this.rt.exports.gemmRange(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], chunks[0][0], chunks[0][1], sa, sb, tmp);
    // Spin a bounded while for the workers before sleeping: woken from Atomics.wait, the caller resumed 29 µs after
    // the last worker finished, a fifth of a batch-12 product's time. Over eight alternating pairs of runs the sgd12
    // step on the wasm path took 1164 µs on average with the spin against 1208 without (bench/README.md). Workers
    // do not spin: that measured no better.
    for (let spin = 0; spin < CALLER_SPIN_LOADS && Atomics.load(ctrl, PENDING) !== 0; spin++);
    for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING)) Atomics.wait(ctrl, PENDING, p);
    if (Atomics.exchange(ctrl, ERROR, 0) !== 0) throw new Error("wasm gemm: a worker thread failed");
  }

  async terminate(): Promise<void> {
    for (let slot = 1; slot <= this.workers.length; slot++) Atomics.store(this.ctrl, JOB_BASE + slot * JOB_WORDS + J_READY, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const pools = new Map<WasmRuntime, ThreadPool>();
const dying: Array<Promise<void>> = [];

onRuntimeReplaced(() => {
  for (const pool of pools.values()) dying.push(pool.terminate());
  pools.clear();
});

/** The pool of the runtime, started on first use; null when threads are disabled or unavailable. */
export function threadPool(rt: WasmRuntime): ThreadPool | null {
  let pool = pools.get(rt);
  if (pool === undefined) {
    const count = workersFromEnv();
    if (count === 0) return null;
    pool = new ThreadPool(rt, count);
    pools.set(rt, pool);
  }
  return pool;
}

/** Starts the worker threads now and resolves with how many are ready (0 when threads are off or wasm is off). */
export async function startThreads(rt: WasmRuntime | null): Promise<number> {
  if (!rt) return 0;
  const pool = threadPool(rt);
  return pool ? pool.ready : 0;
}

/** Terminates every worker thread; kernels keep working on the calling thread, and a later call restarts them. */
export async function shutdownThreads(): Promise<void> {
  for (const pool of pools.values()) dying.push(pool.terminate());
  pools.clear();
  await Promise.all(dying.splice(0));
}

export function readyWorkerCount(rt: WasmRuntime): number {
  const pool = pools.get(rt);
  return pool ? pool.readySlots().length : 0;
}
