// Worker threads over the runtime's shared memory. Dispatch is synchronous: the caller posts one job (the product's
// arguments and its column chunks) in the control block and wakes the workers with Atomics.notify; then every thread,
// the caller included, claims chunks one at a time until none is left, and the caller waits for the last to finish (a
// bounded spin, then Atomics.wait). Claiming instead of a fixed chunk per thread means a worker that wakes late, or
// loses its core for a while, leaves its chunks to the others instead of holding up the product.
// Workers are unref'd once online (they never keep the process alive) and are created once per runtime.
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import { CTRL_WORDS, MAX_SLOTS, onRuntimeReplaced, WasmRuntime } from "./runtime";

// Control block words.
const SEQ = 0;       // the job's sequence number; workers wait on it
const PENDING = 1;   // chunks of the job not finished yet; the caller waits on it
const ERROR = 2;     // set by a worker whose kernel threw
const CLAIM = 3;     // (job tag << 8) | index of the next unclaimed chunk
const READY_BASE = 16; // READY_BASE + slot: 1 once that worker can take jobs
const ARGS = 32;     // 11 words: transA transB m n k a b c acc bias relu
const COUNT = 44;    // how many chunks
const BOUNDS = 48;   // COUNT + 1 column boundaries
/** The most chunks one job can have (CLAIM keeps the index in 8 bits; BOUNDS must fit the control block). */
export const MAX_CHUNKS = 64;
/** Loads of the pending count the caller spins through before Atomics.wait (a few hundred µs at most). */
const CALLER_SPIN_LOADS = 1 << 18;

if (READY_BASE + MAX_SLOTS >= ARGS || BOUNDS + MAX_CHUNKS + 1 > CTRL_WORDS) throw new Error("wasm threads: control block too small");

/** The CLAIM word's high bits for job `seq` (23 bits of it, so the word stays a positive int32). */
function claimTag(seq: number): number {
  return (seq & 0x7fffff) << 8;
}

// The claim loop, shared by the caller (below) and the workers (as source): claims chunk after chunk of job `seq` with
// compareExchange, stopping when the job has none left or a newer job replaced it. The job's words cannot change while
// one of its chunks is claimed and unfinished, so they are read after the claim.
const CLAIM_LOOP = `
function runChunks(ctrl, ex, seq, scratch) {
  const tag = (seq & 0x7fffff) << 8;
  for (;;) {
    const v = Atomics.load(ctrl, ${CLAIM});
    if ((v & ~0xff) !== tag || (v & 0xff) >= ctrl[${COUNT}]) return;
    if (Atomics.compareExchange(ctrl, ${CLAIM}, v, v + 1) !== v) continue;
    const i = v & 0xff;
    try {
      const g = (j) => ctrl[${ARGS} + j];
      ex.gemmRange(g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7), g(8), g(9), g(10),
        ctrl[${BOUNDS} + i], ctrl[${BOUNDS} + i + 1], scratch[0], scratch[1], scratch[2]);
    } catch (e) {
      Atomics.store(ctrl, ${ERROR}, 1);
    }
    if (Atomics.sub(ctrl, ${PENDING}, 1) === 1) Atomics.notify(ctrl, ${PENDING});
  }
}
`;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, ctrlOffset, slot, scratch } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctrl = new Int32Array(memory.buffer, ctrlOffset, ${CTRL_WORDS});
${CLAIM_LOOP}
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.store(ctrl, ${READY_BASE} + slot, 1);
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  const s = Atomics.load(ctrl, ${SEQ});
  if (s === seen) continue;
  seen = s;
  runChunks(ctrl, ex, s, scratch);
}
`;

// The caller's copy of the claim loop (the same source, so both sides claim alike).
const runChunks = new Function(`${CLAIM_LOOP}\nreturn runChunks;`)() as (
  ctrl: Int32Array, ex: WasmRuntime["exports"], seq: number, scratch: readonly number[],
) => void;

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
    for (let slot = 1; slot <= count; slot++) Atomics.store(this.ctrl, READY_BASE + slot, 0);
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
      if (Atomics.load(this.ctrl, READY_BASE + slot) === 1) slots.push(slot);
    }
    return slots;
  }

  /**
   * Runs gemmRange over the column chunks (boundaries `bounds`, chunk i is [bounds[i], bounds[i+1])), claimed by the
   * caller and the `helpers` workers woken for it.
   */
  gemm(args: number[], bounds: number[], helpers: number): void {
    const ctrl = this.ctrl;
    const chunks = bounds.length - 1;
    if (chunks < 1 || chunks > MAX_CHUNKS) throw new Error(`wasm gemm: ${chunks} chunks (1 to ${MAX_CHUNKS})`);
    const seq = (Atomics.load(ctrl, SEQ) + 1) | 0;
    for (let j = 0; j < 11; j++) ctrl[ARGS + j] = args[j];
    ctrl[COUNT] = chunks;
    for (let i = 0; i <= chunks; i++) ctrl[BOUNDS + i] = bounds[i];
    Atomics.store(ctrl, PENDING, chunks);
    Atomics.store(ctrl, CLAIM, claimTag(seq));
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ, helpers);
    runChunks(ctrl, this.rt.exports, seq, this.rt.slot(0));
    // Spin a bounded while for the workers before sleeping: woken from Atomics.wait, the caller resumed 29 µs after
    // the last worker finished, a fifth of a batch-12 product's time. Over eight alternating pairs of runs the sgd12
    // step on the wasm path took 1164 µs on average with the spin against 1208 without (bench/README.md). Workers
    // do not spin: that measured no better.
    for (let spin = 0; spin < CALLER_SPIN_LOADS && Atomics.load(ctrl, PENDING) !== 0; spin++);
    for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING)) Atomics.wait(ctrl, PENDING, p);
    if (Atomics.exchange(ctrl, ERROR, 0) !== 0) throw new Error("wasm gemm: a worker thread failed");
  }

  async terminate(): Promise<void> {
    for (let slot = 1; slot <= this.workers.length; slot++) Atomics.store(this.ctrl, READY_BASE + slot, 0);
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
