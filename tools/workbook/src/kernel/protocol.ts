import type { MessageHeader } from "../jupyter/wire";

/**
 * Messages between the kernel's main thread (which runs cells) and its sockets thread (which owns every
 * zeromq socket). The sockets thread signs and sends what the main thread posts; a worker receives
 * postMessage while the main thread is busy in a synchronous loop, so output leaves as it is produced.
 */

/** A request as the sockets thread received it: the ROUTER identities (to address the reply) and the message. */
export interface IncomingRequest {
  kind: "request";
  channel: "shell" | "control";
  identities: Uint8Array[];
  header: MessageHeader;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export type ToMain =
  | IncomingRequest
  /** Every request received before this barrier has been posted ahead of it (see stop_on_error). */
  | { kind: "barrier"; id: number }
  /** The sockets thread answered a shutdown_request on control: stop. */
  | { kind: "shutdown"; restart: boolean }
  | { kind: "ready" }
  | { kind: "fatal"; message: string };

export type ToSockets =
  /** Publish on iopub, as a child of `parent` (null: no parent). Consecutive stream messages are merged. */
  | { kind: "publish"; parent: MessageHeader | null; msgType: string; content: Record<string, unknown> }
  /** Reply on shell to the request with these identities. */
  | { kind: "reply"; identities: Uint8Array[]; parent: MessageHeader; msgType: string; content: Record<string, unknown> }
  /** Answer with a barrier once everything received before has been posted to the main thread. */
  | { kind: "barrier"; id: number }
  /** Flush, close the sockets and end the thread. */
  | { kind: "close" };

/** What the sockets thread starts with (workerData). */
export interface SocketsConfig {
  connectionFile: string;
  /** The kernel's session id (header.session of every message it sends). */
  session: string;
  /** kernel_info_reply content, so that control can answer it while a cell runs. */
  kernelInfo: Record<string, unknown>;
  /** Int32 set to 1 (and notified) once the sockets are closed: the main thread waits on it before exiting. */
  closed: SharedArrayBuffer;
}
