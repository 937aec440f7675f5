/**
 * The main thread's side of the device thread: starts it once (pinned for the life of the process), queues
 * commands and sends them in batches, and turns reads into synchronous calls (Atomics.wait on a counter the
 * device thread bumps after each reply, then receiveMessageOnPort) or promises.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { BufferRef, KernelLaunch } from "./launch";
import type { AdapterDescription, Command, DeviceThreadInit, Reply } from "./protocol";

/** Commands queued before a batch is sent on without waiting for a read (keeps the device thread busy). */
const BATCH_COMMANDS = 64;
/** A synchronous wait longer than this is reported as a hung device. */
const SYNC_TIMEOUT_MS = 120_000;

function dawnPath(): string {
  const pkg = require.resolve("webgpu/package.json");
  const arch = process.platform === "darwin" ? "universal" : process.arch;
  return path.join(path.dirname(pkg), "dist", `${process.platform}-${arch}`, "dawn.node");
}

/** The compiled device thread: next to this file in dist/, or in dist/ when running from src/ (tests). */
function deviceThreadScript(): string {
  const beside = path.join(__dirname, "device-thread.js");
  if (fs.existsSync(beside)) return beside;
  const built = path.resolve(__dirname, "..", "..", "..", "dist", "backends", "webgpu", "device-thread.js");
  if (fs.existsSync(built)) return built;
  throw new Error(`webgpu: the device thread script is not built (looked for ${beside} and ${built}); run npm run build -w kernel-lib`);
}

export class DeviceClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private queue: Command[] = [];
  private nextBuffer = 1;
  private nextRequest = 1;
  private readonly waiting = new Map<number, { resolve: (d: ArrayBuffer) => void; reject: (e: Error) => void }>();
  private readonly done = new Map<number, Extract<Reply, { kind: "read" }>>();
  readonly adapter: AdapterDescription | null;
  readonly why: string | undefined;

  constructor() {
    const shared = new SharedArrayBuffer(4);
    this.signal = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const init: DeviceThreadInit = { signal: shared, port: port2, dawnPath: dawnPath() };
    this.worker = new Worker(deviceThreadScript(), { workerData: init, transferList: [port2] });
    this.worker.unref();
    this.port.on("message", (m: Reply) => this.settle(m));
    this.port.unref(); // after on(), which refs the port: only pending async reads keep the process alive
    const ready = this.waitReply((m) => m.kind === "ready") as Extract<Reply, { kind: "ready" }>;
    this.adapter = ready.adapter;
    this.why = ready.why;
  }

  newBuffer(bytes: number): BufferRef {
    const id = this.nextBuffer++;
    this.push({ op: "create", id, bytes });
    return id;
  }

  push(command: Command): void {
    this.queue.push(command);
    if (this.queue.length >= BATCH_COMMANDS) this.flush();
  }

  launch(launch: KernelLaunch): void {
    this.push({ op: "launch", launch });
  }

  flush(): void {
    if (this.queue.length === 0) return;
    const commands = this.queue;
    this.queue = [];
    const transfer = commands.flatMap((c) => (c.op === "write" ? [c.data] : []));
    this.worker.postMessage({ commands }, transfer);
  }

  readSync(id: BufferRef, bytes: number): ArrayBuffer {
    const request = this.nextRequest++;
    this.push({ op: "read", id, bytes, request });
    this.flush();
    const r = this.waitReply((m) => m.kind === "read" && m.request === request) as Extract<Reply, { kind: "read" }>;
    if (r.error !== undefined || r.data === null) throw new Error(`webgpu: ${r.error ?? "read failed"}`);
    return r.data;
  }

  read(id: BufferRef, bytes: number): Promise<ArrayBuffer> {
    const request = this.nextRequest++;
    this.push({ op: "read", id, bytes, request });
    this.flush();
    this.port.ref(); // keep the process alive until the reply arrives
    return new Promise((resolve, reject) => this.waiting.set(request, { resolve, reject }));
  }

  /** Blocks until a reply matching `want` arrives, settling the async reads that arrive before it. */
  private waitReply(want: (m: Reply) => boolean): Reply {
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      for (const [request, r] of this.done) {
        if (want(r)) {
          this.done.delete(request);
          return r;
        }
      }
      // read the counter before looking: a reply posted after the look bumps it, so the wait below returns at once
      const posted = Atomics.load(this.signal, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const m = got.message as Reply;
        if (want(m)) return m;
        this.settle(m);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`webgpu: the device did not answer within ${SYNC_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.signal, 0, posted, Math.min(left, 1000));
    }
  }

  private settle(m: Reply): void {
    if (m.kind !== "read") return;
    const w = this.waiting.get(m.request);
    if (!w) {
      this.done.set(m.request, m);
      return;
    }
    this.waiting.delete(m.request);
    if (this.waiting.size === 0) this.port.unref();
    if (m.error !== undefined || m.data === null) w.reject(new Error(`webgpu: ${m.error ?? "read failed"}`));
    else w.resolve(m.data);
  }
}
