/**
 * Messages between the WebGPU backend (main thread) and the device thread that owns the Dawn instance
 * (device-thread.ts). Commands travel in batches, in order; the device thread executes them in that order.
 * Replies (reads, the adapter, errors) come back on a MessagePort, and the device thread bumps a shared counter
 * after each, so the main thread can block on it with Atomics.wait and take the reply with
 * receiveMessageOnPort: a synchronous read, as `.item()` is on CUDA.
 */
import type { BufferRef, KernelLaunch } from "./launch";

export type Command =
  /** a new zero-filled buffer of `bytes` (a multiple of 4) */
  | { readonly op: "create"; readonly id: BufferRef; readonly bytes: number }
  | { readonly op: "destroy"; readonly id: BufferRef }
  /** zero `bytes` from byte 0 (a reused pooled buffer must read as zeros) */
  | { readonly op: "clear"; readonly id: BufferRef; readonly bytes: number }
  /** host bytes into the buffer at a byte offset (both multiples of 4) */
  | { readonly op: "write"; readonly id: BufferRef; readonly offset: number; readonly data: ArrayBuffer }
  | { readonly op: "launch"; readonly launch: KernelLaunch }
  /** `bytes` of the buffer from byte 0 back to the host, answered as a ReadReply */
  | { readonly op: "read"; readonly id: BufferRef; readonly bytes: number; readonly request: number };

export interface CommandBatch {
  readonly commands: readonly Command[];
}

export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** a CPU implementation (SwiftShader, lavapipe/llvmpipe, or one the adapter says is a fallback) */
  readonly software: boolean;
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

export type Reply =
  | { readonly kind: "ready"; readonly adapter: AdapterDescription | null; readonly why?: string }
  | { readonly kind: "read"; readonly request: number; readonly data: ArrayBuffer | null; readonly error?: string };

/** workerData of the device thread */
export interface DeviceThreadInit {
  /** Int32Array view: [0] counts replies posted */
  readonly signal: SharedArrayBuffer;
  readonly port: import("node:worker_threads").MessagePort;
  /** the path of Dawn's dawn.node */
  readonly dawnPath: string;
}
