/**
 * kernel-lib's Jupyter kernel: tslab's TypeScript compiler and executor on the main thread, the zeromq
 * sockets on a worker thread (sockets.ts). See docs/kernel.md for the design.
 *
 * Start: node tools/workbook/bin/kernel.js --config-path CONNECTION_FILE
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import type { MessageHeader } from "../jupyter/wire";
import { CellRunner } from "./cell-runner";
import { History } from "./history";
import type { IncomingRequest, SocketsConfig, ToMain, ToSockets } from "./protocol";
import { resultBundle } from "./results";

/** How display code (kernel-lib/src/display/bundle.ts) finds the kernel: globalThis[Symbol.for("kernel-lib.kernel")]. */
export const KERNEL_HOOK = Symbol.for("kernel-lib.kernel");
export type KernelHookMessage = "display_data" | "update_display_data" | "clear_output";
export interface KernelHook {
  /** Publishes display_data, update_display_data or clear_output for the cell that is running (or ran last). */
  publish(msgType: KernelHookMessage, content: Record<string, unknown>): void;
}

function kernelVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "package.json"), "utf8")).version ?? "0.0.0");
  } catch {
    return "0.0.0";
  }
}

function kernelInfo(): Record<string, unknown> {
  const ts = require("@tslab/typescript-for-tslab") as { version: string };
  return {
    status: "ok",
    protocol_version: "5.3",
    implementation: "kernel-lib",
    implementation_version: kernelVersion(),
    language_info: {
      name: "typescript",
      version: ts.version,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
      // JupyterLab reads `mode`; the classic Notebook needs name + typescript (as tslab sends it).
      codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `kernel-lib TypeScript kernel (tslab's compiler, TypeScript ${ts.version}, Node ${process.version})`,
    help_links: [],
  };
}

export function startKernel(connectionFile: string): void {
  const session = randomUUID();
  const info = kernelInfo();
  const closed = new SharedArrayBuffer(4);
  const config: SocketsConfig = { connectionFile: path.resolve(connectionFile), session, kernelInfo: info, closed };
  const sockets = new Worker(path.join(__dirname, "sockets.js"), { workerData: config, stdout: false, stderr: false });
  const post = (m: ToSockets) => sockets.postMessage(m);

  // The process must not end with zeromq sockets open on the worker (zeromq aborts the process then, and a
  // cell's process.exit(1) would read as SIGABRT): every exit first has the sockets thread send what is
  // pending and close, waiting for it synchronously (a cell calling process.exit never returns to the loop).
  const exit = process.exit.bind(process);
  process.exit = ((code?: number) => {
    const flag = new Int32Array(closed);
    if (Atomics.load(flag, 0) === 0) {
      post({ kind: "close" });
      Atomics.wait(flag, 0, 0, 3000);
    }
    return exit(code);
  }) as typeof process.exit;

  /** Output goes to the cell that runs, or to the last one (as ipykernel: timers print into the last cell). */
  let parent: MessageHeader | null = null;
  const publish = (msgType: string, content: Record<string, unknown>, to: MessageHeader | null = parent) =>
    post({ kind: "publish", parent: to, msgType, content });
  const streamWriter = (name: "stdout" | "stderr") =>
    function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      publish("stream", { name, text });
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") (done as () => void)();
      return true;
    };
  process.stdout.write = streamWriter("stdout") as typeof process.stdout.write;
  process.stderr.write = streamWriter("stderr") as typeof process.stderr.write;
  // Only the display messages: a cell holding the hook must not publish status or execute_* messages.
  const displayTypes: readonly string[] = ["display_data", "update_display_data", "clear_output"];
  const hook: KernelHook = Object.freeze({
    publish: (msgType: KernelHookMessage, content: Record<string, unknown>) => {
      if (!displayTypes.includes(msgType)) throw new Error(`the kernel hook publishes display messages only, not ${String(msgType)}`);
      publish(msgType, content);
    },
  });
  (globalThis as Record<symbol, unknown>)[KERNEL_HOOK] = hook;

  const runner = new CellRunner(process.cwd(), (text) => publish("stream", { name: "stderr", text }));
  // tslab's own display API (`import * as tslab from "tslab"`) publishes through this function.
  const tslabJupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  tslabJupyter.lastWriteDisplayData = (content: Record<string, unknown>, update: boolean) =>
    publish(update ? "update_display_data" : "display_data", content);

  const history = new History();
  let executionCount = 0;
  /** After an error with stop_on_error, execute requests received before the barrier are aborted (as ipykernel). */
  let aborting = false;
  let barrierId = 0;
  type Queued = IncomingRequest | { kind: "barrier"; id: number };
  const queue: Queued[] = [];
  let pumping = false;

  const reply = (req: IncomingRequest, msgType: string, content: Record<string, unknown>) =>
    post({ kind: "reply", identities: req.identities, parent: req.header, msgType, content });

  async function execute(req: IncomingRequest): Promise<void> {
    const c = req.content;
    const code = String(c.code ?? "");
    const silent = c.silent === true;
    const storeHistory = c.store_history === undefined ? !silent : c.store_history === true;
    const stopOnError = c.stop_on_error !== false;
    if (aborting) {
      reply(req, "execute_reply", { status: "aborted", execution_count: executionCount });
      return;
    }
    if (storeHistory) executionCount++;
    const count = executionCount;
    parent = req.header;
    if (!silent) publish("execute_input", { code, execution_count: count });
    if (storeHistory) history.add(count, code);
    const outcome = await runner.run(code, count);
    if (outcome.kind === "ok") {
      if (outcome.hasValue && !silent) publish("execute_result", { execution_count: count, data: resultBundle(outcome.value), metadata: {} });
      reply(req, "execute_reply", { status: "ok", execution_count: count, user_expressions: {}, payload: [] });
      return;
    }
    publish("error", { ...outcome.error });
    reply(req, "execute_reply", { status: "error", execution_count: count, ...outcome.error });
    if (stopOnError) {
      aborting = true;
      const id = ++barrierId;
      post({ kind: "barrier", id });
    }
  }

  async function handle(req: IncomingRequest): Promise<void> {
    const c = req.content;
    publish("status", { execution_state: "busy" }, req.header);
    try {
      switch (req.header.msg_type) {
        case "execute_request":
          await execute(req);
          break;
        case "kernel_info_request":
          reply(req, "kernel_info_reply", info);
          break;
        case "complete_request": {
          const cursor = typeof c.cursor_pos === "number" ? c.cursor_pos : String(c.code ?? "").length;
          const r = runner.complete(String(c.code ?? ""), cursor);
          reply(req, "complete_reply", { status: "ok", matches: r.candidates, cursor_start: r.start, cursor_end: r.end, metadata: {} });
          break;
        }
        case "inspect_request": {
          const { printQuickInfo } = require("tslab/dist/inspect") as typeof import("tslab/dist/inspect");
          const cursor = typeof c.cursor_pos === "number" ? c.cursor_pos : String(c.code ?? "").length;
          const found = runner.inspect(String(c.code ?? ""), cursor);
          reply(req, "inspect_reply", found ? { status: "ok", found: true, data: { "text/plain": printQuickInfo(found) }, metadata: {} } : { status: "ok", found: false, data: {}, metadata: {} });
          break;
        }
        case "is_complete_request": {
          const { isCompleteCode } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
          const r = isCompleteCode(String(c.code ?? ""));
          reply(req, "is_complete_reply", r.completed ? { status: "complete" } : { status: "incomplete", indent: r.indent ?? "" });
          break;
        }
        case "history_request":
          reply(req, "history_reply", { status: "ok", history: history.answer(c) });
          break;
        case "comm_info_request":
          reply(req, "comm_info_reply", { status: "ok", comms: {} });
          break;
        case "shutdown_request":
          reply(req, "shutdown_reply", { status: "ok", restart: c.restart === true });
          shutdown();
          break;
        default:
          break; // unknown requests are ignored, as ipykernel does
      }
    } catch (e) {
      fs.writeSync(2, `kernel: ${req.header.msg_type} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    } finally {
      publish("status", { execution_state: "idle" }, req.header);
    }
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const next = queue.shift()!;
        if (next.kind === "barrier") {
          if (next.id === barrierId) aborting = false;
          continue;
        }
        await handle(next);
      }
    } finally {
      pumping = false;
    }
  }

  let closing = false;
  function shutdown(): void {
    if (closing) return;
    closing = true;
    runner.close();
    process.exit(0);
  }

  sockets.on("message", (m: ToMain) => {
    switch (m.kind) {
      case "request":
      case "barrier":
        queue.push(m);
        void pump();
        return;
      case "shutdown":
        shutdown();
        return;
      case "ready":
        return;
      case "fatal":
        fs.writeSync(2, `kernel: the sockets thread failed: ${m.message}\n`);
        process.exit(1);
    }
  });
  sockets.on("error", (e) => {
    fs.writeSync(2, `kernel: the sockets thread failed: ${e.stack ?? e.message}\n`);
    process.exit(1);
  });

  // A synchronous cell is stopped by SIGINT itself (tslab runs cells with breakOnSigint); this stops one awaiting a promise.
  process.on("SIGINT", () => runner.interrupt());
  process.on("uncaughtException", (e) => publish("stream", { name: "stderr", text: `Uncaught exception: ${e instanceof Error ? e.stack : String(e)}\n` }));
  process.on("unhandledRejection", (e) => publish("stream", { name: "stderr", text: `Unhandled promise rejection: ${e instanceof Error ? e.stack : String(e)}\n` }));
}

function main(argv: readonly string[]): void {
  const at = argv.indexOf("--config-path");
  const file = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--config-path="))?.slice("--config-path=".length);
  if (!file) {
    fs.writeSync(2, "usage: kernel.js --config-path CONNECTION_FILE\n");
    process.exit(2);
  }
  startKernel(file);
}

if (require.main === module) main(process.argv.slice(2));
export { main };
