import { ChildProcess, spawn } from "child_process";
import { randomUUID } from "crypto";
import * as fs from "fs";
import type * as Zmq from "zeromq";
import { Channel, channelAddress, ConnectionInfo, createConnection } from "./jupyter/connection";
import { decode, encode, JupyterMessage, newMessage } from "./jupyter/wire";
import { watchKernel } from "./kernel-watchdog";
import { findDescendant } from "./proc-tree";
import { killTagged, TAG_VARIABLE } from "./process-tag";
import { SandboxSpec, sandboxCommand } from "./sandbox";
import { KERNEL_NAME, kernelArgv } from "./kernelspec";
import type { Output } from "./notebook-types";
import { OutputCollector } from "./outputs";
import { zmq } from "./zmq";

export interface KernelOptions {
  /** Working directory of the kernel process (module resolution and relative paths in cells). Default: process.cwd(). */
  cwd?: string;
  /** Environment of the kernel process. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** The command to start; receives the connection file. Default: our kernel spec's argv. */
  argv?: (connectionFile: string) => string[];
  /** How long the kernel may take to answer its first kernel_info_request. Default 60 s. */
  startTimeoutMs?: number;
  /** Run the kernel inside a bubblewrap sandbox (sandbox.ts); the caller checks sandboxState() first. */
  sandbox?: SandboxSpec & { bwrap: string };
  /** Give the kernel a verdict pipe (the grading preload's channel, preload/verdict.cjs): see Kernel.verdicts. */
  verdictChannel?: boolean;
}

/** ok: the cell ran; error: the kernel reported an error; timeout / died / aborted: see ExecuteResult.message. */
export type ExecuteStatus = "ok" | "error" | "timeout" | "died" | "aborted";

export interface ExecuteOptions {
  /** Milliseconds the cell may run; 0 or undefined: no limit. */
  timeoutMs?: number;
  /** On timeout, first try SIGINT (tslab can break a busy loop) and keep the kernel if it recovers. Default: kill it. */
  interruptOnTimeout?: boolean;
  /** Aborting stops the cell and kills the kernel. */
  signal?: AbortSignal;
  /** Shares display ids across cells (update_display_data); default: a collector for this cell only. */
  collector?: OutputCollector;
}

export interface ExecuteResult {
  status: ExecuteStatus;
  executionCount: number | null;
  outputs: Output[];
  /** One line for failures: the kernel's error message, the timeout, or how the kernel died. */
  message?: string;
  elapsedMs: number;
}

/** Kernels still running, killed synchronously if this process exits without shutting them down. */
const live = new Set<Kernel>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const k of live) k.kill();
  });
}

/** All kernels this process started that have not been shut down yet. */
export function liveKernels(): Kernel[] {
  return [...live];
}

const TAIL_BYTES = 4000;
/** At most this many lines are kept from a verdict pipe. */
const MAX_VERDICTS = 10_000;

/**
 * A running kernel-lib TypeScript kernel (tslab), driven over the Jupyter messaging protocol:
 * shell and control DEALER sockets, an iopub SUB socket, a heartbeat REQ socket, HMAC-SHA256 signed.
 */
export class Kernel {
  readonly session = randomUUID();
  private readonly sockets: Partial<Record<Channel, Zmq.Socket>> = {};
  private readonly sendQueues = new Map<Zmq.Socket, Promise<unknown>>();
  private readonly replyWaiters = new Map<string, (m: JupyterMessage) => void>();
  private readonly iopubHandlers = new Map<string, (m: JupyterMessage) => void>();
  private processTail = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private closed = false;
  /** tslab cancels requests that arrive within 200 ms after a failed cell (its execQueue.reset(200)). */
  private quietUntil = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly info: ConnectionInfo,
    private readonly dir: string,
    private readonly tag: string,
    /** In a sandbox, the child is the launcher and the kernel the process below it running this command. */
    private readonly innerCommand?: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
    const keep = (b: Buffer) => {
      this.processTail = (this.processTail + b.toString("utf8")).slice(-TAIL_BYTES);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  private readonly verdictLines = new Set<string>();
  private verdictsClosed: Promise<void> = Promise.resolve();

  private listenForVerdicts(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    let pending = "";
    stream.on("data", (b: Buffer) => {
      // A cell may write to the pipe too (it only matters with a nonce it cannot know): bounded all the same.
      if (this.verdictLines.size >= MAX_VERDICTS) return;
      const lines = (pending + b.toString("latin1")).split("\n");
      pending = (lines.pop() ?? "").slice(-64);
      for (const l of lines) if (this.verdictLines.size < MAX_VERDICTS) this.verdictLines.add(l);
    });
    this.verdictsClosed = new Promise((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
      stream.once("error", () => resolve());
    });
  }

  /**
   * The lines that arrived on the verdict pipe (verdictChannel), complete once the kernel is gone: call after
   * shutdown. Waits at most `waitMs` for the pipe to close.
   */
  async verdicts(waitMs = 2000): Promise<ReadonlySet<string>> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.verdictsClosed, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    return this.verdictLines;
  }

  /** Starts a kernel and waits until it answers on shell and publishes on iopub. */
  static async start(options: KernelOptions = {}): Promise<Kernel> {
    const { dir, file, info } = createConnection(KERNEL_NAME);
    const plain = options.argv ? options.argv(file) : kernelArgv(file);
    const cwd = options.cwd ?? process.cwd();
    const boxed = options.sandbox
      ? sandboxCommand(options.sandbox.bwrap, plain, { hidden: options.sandbox.hidden, writable: [...options.sandbox.writable, dir] }, cwd)
      : undefined;
    const argv = boxed ? boxed.argv : plain;
    const tag = randomUUID();
    // Its own process group (POSIX): a Ctrl-C in the terminal reaches only the runner, which then stops the
    // kernel and everything the notebook started, by killing the group.
    // fd 3 carries bwrap's options in a sandbox; the verdict pipe comes after it.
    const stdio: Array<"ignore" | "pipe"> = boxed ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"];
    const verdictFd = options.verdictChannel ? stdio.push("pipe") - 1 : undefined;
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...(options.env ?? process.env), [TAG_VARIABLE]: tag, ...(verdictFd === undefined ? {} : { WORKBOOK_VERDICT_FD: String(verdictFd) }) },
      stdio,
      detached: process.platform !== "win32",
    });
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    if (boxed) {
      const fd3 = child.stdio[3] as NodeJS.WritableStream | null;
      fd3?.on("error", () => undefined);
      fd3?.end(boxed.options);
    }
    if (child.pid) watchKernel(child.pid, dir, tag);
    const kernel = new Kernel(child, info, dir, tag, options.sandbox ? plain[0] : undefined);
    if (verdictFd !== undefined) kernel.listenForVerdicts(child.stdio[verdictFd] as NodeJS.ReadableStream | null);
    live.add(kernel);
    installExitHook();
    try {
      kernel.connect();
      const failed = Promise.race([
        spawnError.then((e) => new Error(`kernel: cannot start ${argv[0]}: ${e.message}`)),
        kernel.exited.then(() => new Error(`kernel exited during startup (${kernel.describeExit()})${kernel.tailForMessage()}`)),
      ]);
      await kernel.waitReady(options.startTimeoutMs ?? 60_000, failed);
      return kernel;
    } catch (e) {
      await kernel.shutdown();
      throw e;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last few kilobytes the kernel process wrote to its own stdout/stderr (not to cells). */
  get processOutput(): string {
    return this.processTail;
  }

  /** Runs one cell and collects its outputs. Never throws for cell failures: see ExecuteResult.status. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const started = Date.now();
    const collector = options.collector ?? new OutputCollector();
    const outputs = collector.begin();
    const result = (status: ExecuteStatus, message?: string): ExecuteResult => ({
      status,
      executionCount: collector.executionCount,
      outputs,
      message,
      elapsedMs: Date.now() - started,
    });
    if (!this.alive || this.closed) return result("died", `the kernel is not running (${this.describeExit()})`);

    const msg = newMessage(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      this.session,
    );
    const id = msg.header.msg_id;
    let idle!: () => void;
    const idleSeen = new Promise<void>((r) => (idle = r));
    this.iopubHandlers.set(id, (m) => {
      if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle();
      else collector.handle(m);
    });
    const reply = new Promise<JupyterMessage>((r) => this.replyWaiters.set(id, r));
    const timers: NodeJS.Timeout[] = [];
    const after = <T>(ms: number, value: T) => new Promise<T>((r) => timers.push(setTimeout(() => r(value), ms)));
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<"aborted">((r) => {
      if (options.signal?.aborted) r("aborted");
      onAbort = () => r("aborted");
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
    const limit = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : 0;
    try {
      const quiet = this.quietUntil - Date.now();
      if (quiet > 0) await new Promise((r) => setTimeout(r, quiet));
      await this.send("shell", msg);
      const outcome = await Promise.race([
        reply,
        this.exited.then(() => "died" as const),
        aborted,
        ...(limit ? [after(limit, "timeout" as const)] : []),
      ]);
      if (outcome === "died") return result("died", `the kernel died while running this cell (${this.describeExit()})${this.tailForMessage()}`);
      if (outcome === "aborted") {
        await this.terminate();
        return result("aborted", "interrupted: the run was cancelled");
      }
      if (outcome === "timeout") {
        const timeoutMessage = `timed out after ${formatSeconds(limit)} (cell timeout)`;
        if (options.interruptOnTimeout && this.interrupt()) {
          const recovered = await Promise.race([reply, after(3000, undefined), this.exited.then(() => undefined)]);
          if (recovered) {
            this.quietUntil = Date.now() + 300;
            await Promise.race([idleSeen, after(2000, undefined)]);
            return result("timeout", `${timeoutMessage}; interrupted, kernel kept`);
          }
        }
        await this.terminate();
        return result("timeout", timeoutMessage);
      }
      // Outputs may still be in flight on iopub when the reply arrives (a cell that printed a million lines):
      // the kernel publishes "idle" for this request after its last output, so wait for that, however long
      // it takes, within what is left of the cell's limit.
      const left = limit ? limit - (Date.now() - started) : 0;
      const drained = await Promise.race([
        idleSeen.then(() => true),
        this.exited.then(() => true),
        ...(limit ? [after(Math.max(left, 1000), false)] : []),
      ]);
      if (!drained) collector.note(`[workbook: the kernel did not report the end of this cell's output within the cell's time limit; later output may be missing]\n`);
      if (typeof outcome.content.execution_count === "number") collector.executionCount = outcome.content.execution_count;
      if (outcome.content.status === "ok") return result("ok");
      this.quietUntil = Date.now() + 300;
      if (outcome.content.status === "abort" || outcome.content.status === "aborted") {
        return result("error", "the kernel aborted this cell");
      }
      return result("error", errorSummary(outcome.content, collector.stderrTail()));
    } finally {
      for (const t of timers) clearTimeout(t);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      this.iopubHandlers.delete(id);
      this.replyWaiters.delete(id);
    }
  }

  /** Sends SIGINT, the kernel spec's interrupt mode; tslab stops the running cell. False where unsupported. */
  interrupt(): boolean {
    if (!this.alive || process.platform === "win32") return false;
    if (this.innerCommand) {
      // bwrap does not forward signals: signal the kernel (the Node process inside) itself.
      const inner = this.child.pid ? findDescendant(this.child.pid, this.innerCommand) : undefined;
      if (inner === undefined) return false;
      try {
        process.kill(inner, "SIGINT");
        return true;
      } catch {
        return false;
      }
    }
    return this.child.kill("SIGINT");
  }

  /** Round-trips a heartbeat; false if the kernel does not echo within the time. */
  async ping(timeoutMs = 5000): Promise<boolean> {
    const hb = this.sockets.hb as Zmq.Request | undefined;
    if (!hb || !this.alive) return false;
    try {
      hb.receiveTimeout = timeoutMs;
      await hb.send("ping");
      const [echo] = await hb.receive();
      return echo.toString() === "ping";
    } catch {
      return false;
    }
  }

  /**
   * Stops the kernel: shutdown_request on control, then SIGTERM, then SIGKILL, each after a grace period;
   * closes the sockets and removes the connection folder. Safe to call more than once.
   */
  async shutdown(graceMs = 2000): Promise<void> {
    await this.stop(true, graceMs);
  }

  /** Stops the kernel without asking it first (SIGTERM, then SIGKILL): for a kernel stuck in a cell. */
  async terminate(graceMs = 2000): Promise<void> {
    await this.stop(false, graceMs);
  }

  private async stop(ask: boolean, graceMs: number): Promise<void> {
    if (ask && this.alive && !this.closed) {
      this.send("control", newMessage("shutdown_request", { restart: false }, this.session)).catch(() => undefined);
      await this.waitExit(graceMs);
    }
    if (this.alive) {
      this.signalGroup("SIGTERM");
      await this.waitExit(graceMs);
    }
    if (this.alive) {
      this.signalGroup("SIGKILL");
      await this.waitExit(graceMs);
    }
    this.signalGroup("SIGKILL"); // whatever the notebook started and left behind
    killTagged(this.tag); // and what detached itself from the group
    this.close();
  }

  /** Kills the kernel at once (SIGKILL) without waiting: for exit handlers. */
  kill(): void {
    this.signalGroup("SIGKILL");
    killTagged(this.tag);
    this.close();
  }

  /** Signals the kernel's process group (the kernel and processes it started); just the kernel on Windows. */
  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (!pid) return;
    if (process.platform !== "win32") {
      try {
        process.kill(-pid, signal);
        return;
      } catch {
        // the group is gone
      }
    }
    if (this.alive) this.child.kill(signal);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    for (const s of Object.values(this.sockets)) s?.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private waitExit(ms: number): Promise<void> {
    return Promise.race([this.exited, new Promise<void>((r) => setTimeout(r, ms).unref())]);
  }

  private describeExit(): string {
    if (!this.exitInfo) return "still running";
    const { code, signal } = this.exitInfo;
    return signal ? `killed by ${signal}` : `exit code ${code}`;
  }

  private tailForMessage(): string {
    const lines = this.processTail.trim().split("\n").filter((l) => l.trim() !== "");
    return lines.length ? `: ${lines.slice(-3).join(" / ").slice(0, 300)}` : "";
  }

  private connect(): void {
    const z = zmq();
    const make = <S extends Zmq.Socket>(channel: Channel, socket: S): S => {
      socket.linger = 0;
      socket.connect(channelAddress(this.info, channel));
      this.sockets[channel] = socket;
      return socket;
    };
    const shell = make("shell", new z.Dealer());
    const control = make("control", new z.Dealer());
    make("stdin", new z.Dealer());
    make("hb", new z.Request());
    // No high-water mark: a SUB socket drops messages beyond 1000 unread, which a cell printing in a loop reaches.
    const iopub = new z.Subscriber({ receiveHighWaterMark: 0 });
    iopub.subscribe();
    make("iopub", iopub);
    void this.receiveLoop(shell, (m) => this.replyWaiters.get(String(m.parent_header.msg_id))?.(m));
    void this.receiveLoop(control, (m) => this.replyWaiters.get(String(m.parent_header.msg_id))?.(m));
    void this.receiveLoop(iopub, (m) => this.iopubHandlers.get(String(m.parent_header.msg_id))?.(m));
  }

  private async receiveLoop(socket: Zmq.Dealer | Zmq.Subscriber, handle: (m: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: JupyterMessage;
        try {
          msg = decode(frames, this.info.key);
        } catch {
          continue; // unsigned or malformed: ignore, as Jupyter clients do
        }
        handle(msg);
      }
    } catch {
      // the socket was closed
    }
  }

  /** zeromq sockets accept one send at a time: queue them per socket. */
  private send(channel: Channel, msg: JupyterMessage): Promise<void> {
    const socket = this.sockets[channel];
    if (!socket || this.closed) return Promise.reject(new Error(`kernel: ${channel} socket is closed`));
    const previous = this.sendQueues.get(socket) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => (socket as Zmq.Dealer).send(encode(msg, this.info.key)));
    this.sendQueues.set(socket, next);
    return next;
  }

  /**
   * Sends kernel_info_request every second until one is answered on shell and the kernel's status for one
   * of them shows up on iopub (a SUB socket only receives what is published after its subscription reached
   * the kernel). Answers to any earlier request count: a kernel still warming up answers them late.
   */
  private async waitReady(timeoutMs: number, failed: Promise<Error>): Promise<void> {
    const ids: string[] = [];
    let replied = false;
    let published = false;
    let failure: Error | undefined;
    let wake: () => void = () => undefined;
    void failed.then((e) => {
      failure = e;
      wake();
    });
    const deadline = Date.now() + timeoutMs;
    try {
      while (!(replied && published)) {
        if (failure) throw failure;
        if (Date.now() >= deadline) throw new Error(`kernel did not answer within ${formatSeconds(timeoutMs)}${this.tailForMessage()}`);
        const msg = newMessage("kernel_info_request", {}, this.session);
        const id = msg.header.msg_id;
        ids.push(id);
        this.replyWaiters.set(id, () => {
          replied = true;
          wake();
        });
        this.iopubHandlers.set(id, () => {
          published = true;
          wake();
        });
        await this.send("shell", msg);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Math.min(1000, Math.max(1, deadline - Date.now()))).unref();
        });
      }
    } finally {
      for (const id of ids) {
        this.replyWaiters.delete(id);
        this.iopubHandlers.delete(id);
      }
    }
  }
}

/**
 * One line from the kernel's error report: an `error` message if the kernel sent one, else the error tslab
 * printed to stderr (`Error: ...`, `TypeError: ...`, or type-check diagnostics `3:7 - ...`) without the
 * code echo and stack frames Node prints around it.
 */
export function errorSummary(content: Record<string, unknown>, stderr: string[]): string {
  if (typeof content.ename === "string" && content.ename !== "") {
    return `${content.ename}: ${String(content.evalue ?? "")}`.slice(0, 500);
  }
  const lines = stderr.join("").split("\n").map((l) => l.trimEnd());
  const thrown = lines.find((l) => /^[A-Za-z_$][\w$]*(\s\[[\w-]+\])?: /.test(l) && !/^\s/.test(l));
  if (thrown) return thrown.slice(0, 500);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^evalmachine\.<anonymous>:\d+/.test(l)) {
      i += 2; // Node echoes the failing line and a caret under it
      continue;
    }
    if (l.trim() === "" || /^\s+at /.test(l) || /^\s*\.\.\. \d+ more/.test(l)) continue;
    kept.push(l.trim());
  }
  if (kept.length === 0) return "the kernel reported an error without a message";
  return kept.slice(0, 3).join(" / ").slice(0, 500);
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
