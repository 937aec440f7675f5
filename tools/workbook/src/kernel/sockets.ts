/**
 * The kernel's sockets thread (a worker_thread): binds the five Jupyter sockets, forwards shell requests to
 * the main thread and sends, signed and in order, what the main thread posts back. Because it has its own
 * event loop, stream text and displays produced inside a long synchronous cell leave at once, and the
 * heartbeat, kernel_info on control and interrupt_request keep working while a cell runs.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import { parentPort, workerData } from "worker_threads";
import type * as Zmq from "zeromq";
import { channelAddress, type Channel, type ConnectionInfo } from "../jupyter/connection";
import { sign, type MessageHeader } from "../jupyter/wire";
import { zmq } from "../zmq";
import type { SocketsConfig, ToMain, ToSockets } from "./protocol";

const DELIM = Buffer.from("<IDS|MSG>");
const port = parentPort;
if (!port) throw new Error("kernel sockets: must run in a worker thread");
const config = workerData as SocketsConfig;
const info = JSON.parse(fs.readFileSync(config.connectionFile, "utf8")) as ConnectionInfo;
const post = (m: ToMain): void => port.postMessage(m);

/** Failures go to the kernel's own stderr file descriptor (never to a cell). */
function report(what: string, e: unknown): void {
  fs.writeSync(2, `kernel sockets: ${what}: ${e instanceof Error ? e.message : String(e)}\n`);
}

function header(msgType: string): MessageHeader {
  return { msg_id: randomUUID(), msg_type: msgType, session: config.session, username: "kernel", date: new Date().toISOString(), version: "5.3" };
}

function frames(identities: readonly Uint8Array[], msgType: string, parent: MessageHeader | null, content: Record<string, unknown>): Buffer[] {
  const parts = [header(msgType), parent ?? {}, {}, content].map((p) => Buffer.from(JSON.stringify(p)));
  return [...identities.map((i) => Buffer.from(i)), DELIM, Buffer.from(sign(info.key, parts)), ...parts];
}

/** zeromq sockets accept one send at a time: each socket's sends are chained, in order. */
class Sender {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  constructor(readonly socket: Zmq.Publisher | Zmq.Router) {}
  send(f: Buffer[]): void {
    this.tail = this.tail.then(
      () => (this.closed ? undefined : this.socket.send(f)),
    ).catch((e) => {
      if (!this.closed) report("a message could not be sent", e);
    });
  }
  async close(): Promise<void> {
    await this.tail;
    this.closed = true;
    this.socket.close();
  }
}

const z = zmq();
const iopub = new Sender(new z.Publisher({ sendHighWaterMark: 0 }));
const shell = new z.Router();
const control = new z.Router();
const stdin = new z.Router();
const hb = new z.Reply();
const shellOut = new Sender(shell);
const controlOut = new Sender(control);

/** Stream text waiting to leave as one message: writes arriving together are merged (thousands of lines a second). */
let pendingStream: { parent: MessageHeader | null; name: string; text: string } | null = null;
let flushScheduled = false;
const MAX_STREAM_CHARS = 1 << 20;

function flushStream(): void {
  if (!pendingStream) return;
  const { parent, name, text } = pendingStream;
  pendingStream = null;
  iopub.send(frames([], "stream", parent, { name, text }));
}

function publish(msgType: string, parent: MessageHeader | null, content: Record<string, unknown>): void {
  if (msgType === "stream") {
    const name = String(content.name);
    const text = String(content.text);
    if (pendingStream && pendingStream.name === name && pendingStream.parent?.msg_id === parent?.msg_id && pendingStream.text.length < MAX_STREAM_CHARS) {
      pendingStream.text += text;
    } else {
      flushStream();
      pendingStream = { parent, name, text };
    }
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        flushStream();
      });
    }
    return;
  }
  flushStream();
  iopub.send(frames([], msgType, parent, content));
}

port.on("message", (m: ToSockets) => {
  switch (m.kind) {
    case "publish":
      publish(m.msgType, m.parent, m.content);
      return;
    case "reply":
      flushStream();
      shellOut.send(frames(m.identities, m.msgType, m.parent, m.content));
      return;
    case "barrier":
      post({ kind: "barrier", id: m.id });
      return;
    case "close":
      void closeAll();
      return;
  }
});

async function closeAll(): Promise<void> {
  flushStream();
  await Promise.all([iopub.close(), shellOut.close(), controlOut.close()]);
  stdin.close();
  hb.close();
  const closed = new Int32Array(config.closed);
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  port!.close();
}

interface Decoded {
  identities: Uint8Array[];
  header: MessageHeader;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

function decode(raw: Buffer[]): Decoded | null {
  const at = raw.findIndex((f) => f.equals(DELIM));
  if (at < 0 || raw.length < at + 6) return null;
  const parts = raw.slice(at + 2, at + 6);
  if (raw[at + 1].toString() !== sign(info.key, parts)) {
    report("ignored a message", new Error("invalid HMAC signature"));
    return null;
  }
  const [h, , metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return { identities: raw.slice(0, at), header: h, content, metadata };
}

let interruptTimer: NodeJS.Timeout | undefined;

/** control is answered here, so kernel_info, interrupt and shutdown work while the main thread is busy. */
function onControl(m: Decoded): void {
  const reply = (msgType: string, content: Record<string, unknown>) => controlOut.send(frames(m.identities, msgType, m.header, content));
  publish("status", m.header, { execution_state: "busy" });
  switch (m.header.msg_type) {
    case "kernel_info_request":
      reply("kernel_info_reply", config.kernelInfo);
      break;
    case "interrupt_request":
      process.kill(process.pid, "SIGINT");
      reply("interrupt_reply", { status: "ok" });
      break;
    case "shutdown_request": {
      const restart = m.content.restart === true;
      reply("shutdown_reply", { status: "ok", restart });
      post({ kind: "shutdown", restart });
      // A cell stuck in a synchronous loop cannot see the shutdown: interrupt it so that the main thread can.
      interruptTimer = setTimeout(() => process.kill(process.pid, "SIGINT"), 2000);
      interruptTimer.unref();
      break;
    }
    default:
      // Other control requests (debug_request, usage_request) are not supported: ipykernel ignores unknown types too.
      break;
  }
  publish("status", m.header, { execution_state: "idle" });
}

async function receive(socket: Zmq.Router, channel: "shell" | "control"): Promise<void> {
  try {
    for await (const raw of socket) {
      let m: Decoded | null;
      try {
        m = decode(raw);
      } catch (e) {
        report("ignored a malformed message", e);
        continue;
      }
      if (!m) continue;
      if (channel === "control") onControl(m);
      else post({ kind: "request", channel, ...m });
    }
  } catch (e) {
    report(`${channel} stopped`, e);
  }
}

async function heartbeat(): Promise<void> {
  try {
    for await (const msg of hb) await hb.send(msg);
  } catch {
    // closed
  }
}

async function start(): Promise<void> {
  const bind = (s: Zmq.Socket, ch: Channel) => (s as Zmq.Router).bind(channelAddress(info, ch));
  await Promise.all([bind(iopub.socket, "iopub"), bind(shell, "shell"), bind(control, "control"), bind(stdin, "stdin"), bind(hb, "hb")]);
  void receive(shell, "shell");
  void receive(control, "control");
  void heartbeat();
  post({ kind: "ready" });
}

start().catch((e) => post({ kind: "fatal", message: e instanceof Error ? e.message : String(e) }));
