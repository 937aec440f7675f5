import { inTslabKernel } from "./bundle";
import { FileBackend } from "./file-backend";
import { JupyterBackend } from "./jupyter-backend";
import { MemoryBackend } from "./memory-backend";
import { TextBackend } from "./text-backend";
import { DisplayBackend, DisplayHandle, MimeBundle, ShowOptions } from "./types";

export type BackendKind = "auto" | "jupyter" | "text" | "file" | "memory";

let jupyter: JupyterBackend | undefined;
let text: TextBackend | undefined;
let chosen: DisplayBackend | undefined; // undefined means "auto"

function autoBackend(): DisplayBackend {
  if (inTslabKernel()) return (jupyter ??= new JupyterBackend());
  return (text ??= new TextBackend());
}

/**
 * Chooses where displays go:
 *   "auto"    (default) the Jupyter kernel inside tslab, else "text"
 *   "jupyter" always the kernel (fails outside one)
 *   "text"    a one-line summary per display on stdout, throttled Animator progress on stderr
 *   "file"    SVG/HTML/PNG/TXT files in `dir` (see FileBackend)
 *   "memory"  records bundles and updates in the returned MemoryBackend (tests)
 * or any object implementing DisplayBackend. Returns the backend now in use (for "auto": the one that
 * would be used right now).
 */
export function setDisplayBackend(kind: "memory", options?: { inlinePlotly?: boolean }): MemoryBackend;
export function setDisplayBackend(kind: "file", dir: string): FileBackend;
export function setDisplayBackend(kind: BackendKind | DisplayBackend, arg?: string | { inlinePlotly?: boolean }): DisplayBackend;
export function setDisplayBackend(kind: BackendKind | DisplayBackend, arg?: string | { inlinePlotly?: boolean }): DisplayBackend {
  if (typeof kind === "object") {
    chosen = kind;
    return kind;
  }
  switch (kind) {
    case "auto":
      chosen = undefined;
      return autoBackend();
    case "jupyter":
      if (!inTslabKernel()) throw new Error("setDisplayBackend('jupyter'): not running inside a tslab Jupyter kernel");
      chosen = jupyter ??= new JupyterBackend();
      return chosen;
    case "text":
      chosen = new TextBackend();
      return chosen;
    case "file":
      if (typeof arg !== "string" || arg === "") throw new Error("setDisplayBackend('file', dir): a directory is required");
      chosen = new FileBackend(arg);
      return chosen;
    case "memory":
      chosen = new MemoryBackend(typeof arg === "object" ? arg : {});
      return chosen;
    default:
      throw new Error(`setDisplayBackend: unknown backend ${JSON.stringify(kind)}; use auto, jupyter, text, file or memory`);
  }
}

/** The backend displays go to right now. */
export function getDisplayBackend(): DisplayBackend {
  return chosen ?? autoBackend();
}

/** Shows a mime bundle on the current backend; the handle updates it in place. */
export function showBundle(data: MimeBundle, options?: ShowOptions): DisplayHandle {
  return getDisplayBackend().show(data, options);
}

/** Switches to a fresh memory backend and returns it: every display from now on is recorded there. */
export function captureDisplays(options?: { inlinePlotly?: boolean }): MemoryBackend {
  return setDisplayBackend("memory", options);
}
