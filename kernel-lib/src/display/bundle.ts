/**
 * The one module that talks to the tslab kernel.
 *
 * tslab's public `Display` (display.html, newDisplay().svg, ...) sends ONE mime type per message. Underneath,
 * every one of those calls goes through `jupyter.lastWriteDisplayData(content, update)` in tslab/dist/jupyter.js,
 * which publishes `content` ({ data, metadata, transient: { display_id } }) on iopub as display_data, or as
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

/** The kernel's publish function, or null when this process is not executing a tslab cell. */
function kernelWriter(): WriteDisplayData | null {
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
