import * as fs from "fs";

/**
 * Watches a kernel's resident memory (Linux /proc) and kills its process group when it exceeds the limit.
 * A V8 heap limit alone is not enough: tensors live in ArrayBuffers outside the heap. Returns a stop
 * function; does nothing where /proc is unavailable.
 */
export function guardMemory(pid: number, limitMb: number, onExceeded: (usedMb: number) => void, intervalMs = 200): () => void {
  const statusFile = `/proc/${pid}/status`;
  if (!(limitMb > 0) || !fs.existsSync(statusFile)) return () => undefined;
  const timer = setInterval(() => {
    const used = residentMb(statusFile);
    if (used === undefined || used <= limitMb) return;
    clearInterval(timer);
    onExceeded(used);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function residentMb(statusFile: string): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(statusFile, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
