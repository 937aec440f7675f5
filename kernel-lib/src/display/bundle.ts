/**
 * The one module that talks to the Jupyter kernel.
 *
 * kernel-lib's own kernel (tools/workbook/src/kernel, the kernel spec's) registers
 * `globalThis[Symbol.for("kernel-lib.kernel")] = { publish(msgType, content) }`, which publishes display_data,
 * update_display_data and clear_output for the running cell through its sockets thread (so a figure appears
 * while a synchronous training loop still runs).
 *
 * Under a plain tslab kernel: tslab's public `Display` sends ONE mime type per message. Underneath, every one
 * of those calls goes through `jupyter.lastWriteDisplayData(content, update)` in tslab/dist/jupyter.js, which
 * publishes `content` ({ data, metadata, transient: { display_id } }) on iopub as display_data, or as
 * update_display_data when `update` is true. Calling that function with a full `data` dict sends a whole mime
 * bundle in one message, which is what Jupyter front ends need to pick their best representation.
 *
 * tslab is never imported statically: in a kernel, the executor sets `globalThis.__tslab__` and tslab's
 * jupyter module is already loaded, so it is looked up in require's cache (the kernel's own instance, even if
 * another copy of tslab is installed next to kernel-lib). Outside a kernel nothing here loads tslab.
 */
import { nodeRequire } from "./node";
import type { MimeBundle, MimeMetadata } from "./types";

interface DisplayContent {
  data: MimeBundle;
  metadata: MimeMetadata;
  transient: { display_id?: string };
}
type WriteDisplayData = (content: DisplayContent, update: boolean) => void;

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

function writerOf(mod: unknown): WriteDisplayData | null {
  if (typeof mod !== "object" || mod === null) return null;
  const write = (mod as { lastWriteDisplayData?: unknown }).lastWriteDisplayData;
  return typeof write === "function" ? (write as WriteDisplayData) : null;
}

interface KernelHook {
  publish(msgType: "display_data" | "update_display_data" | "clear_output", content: object): void;
}
const KERNEL_HOOK = Symbol.for("kernel-lib.kernel");

function kernelHook(): KernelHook | null {
  const hook = (globalThis as Record<symbol, unknown>)[KERNEL_HOOK];
  return typeof hook === "object" && hook !== null && typeof (hook as KernelHook).publish === "function" ? (hook as KernelHook) : null;
}

/** The kernel's publish function, or null when this process is not executing a kernel cell. */
function kernelWriter(): WriteDisplayData | null {
  const hook = kernelHook();
  if (hook) return (content, update) => hook.publish(update ? "update_display_data" : "display_data", content);
  if (!("__tslab__" in globalThis)) return null;
  const req = nodeRequire();
  if (!req) return null;
  for (const [filename, mod] of Object.entries(req.cache)) {
    if (!JUPYTER_MODULE.test(filename)) continue;
    const write = writerOf(mod?.exports);
    if (write) return write;
  }
  try {
    return writerOf(req("tslab/dist/jupyter"));
  } catch {
    return null;
  }
}

/** True inside a tslab kernel that is executing (or has executed) a cell. */
export function inTslabKernel(): boolean {
  return kernelWriter() !== null;
}

/** Publishes a whole mime bundle as display_data (update=false) or update_display_data (update=true). */
export function sendBundle(data: MimeBundle, metadata: MimeMetadata, displayId: string, update: boolean): void {
  const write = kernelWriter();
  if (!write) {
    throw new Error("display: not running inside a tslab Jupyter kernel; use setDisplayBackend('text' | 'file' | 'memory')");
  }
  write({ data, metadata, transient: { display_id: displayId } }, update);
}

/**
 * Clears the running cell's output, as IPython's clear_output: at once, or (wait=true) when the next output
 * arrives. Needs kernel-lib's kernel; elsewhere (plain tslab, no kernel) it does nothing.
 */
export function clearOutput(wait = false): void {
  kernelHook()?.publish("clear_output", { wait });
}
