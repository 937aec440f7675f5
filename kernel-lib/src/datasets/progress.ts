/**
 * Download progress reporting. The library reports events; how they are shown is pluggable so the display
 * layer can replace the default (a bar on stderr) with a notebook display.
 */
export type ProgressEvent =
  | { kind: "start"; file: string; url: string; totalBytes: number | null }
  | { kind: "progress"; file: string; receivedBytes: number; totalBytes: number | null }
  | { kind: "done"; file: string; receivedBytes: number; path: string }
  | { kind: "error"; file: string; message: string };

export type ProgressReporter = (event: ProgressEvent) => void;

/** A text progress bar on stderr, redrawn in place on a terminal and every 10% otherwise. */
export function stderrProgressReporter(): ProgressReporter {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  return (ev) => {
    if (ev.kind === "start") {
      lastDecile = -1;
      process.stderr.write(`Downloading ${ev.url}${ev.totalBytes !== null ? ` (${formatBytes(ev.totalBytes)})` : ""}\n`);
    } else if (ev.kind === "progress") {
      const line = progressLine(ev.file, ev.receivedBytes, ev.totalBytes);
      if (tty) process.stderr.write(`\r${line}`);
      else if (ev.totalBytes) {
        const decile = Math.floor((10 * ev.receivedBytes) / ev.totalBytes);
        if (decile > lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${line}\n`);
        }
      }
    } else if (ev.kind === "done") {
      process.stderr.write(`${tty ? "\r" : ""}${ev.file}: ${formatBytes(ev.receivedBytes)} verified, saved to ${ev.path}\n`);
    } else {
      process.stderr.write(`${tty ? "\n" : ""}${ev.file}: download failed: ${ev.message}\n`);
    }
  };
}

/** A reporter that shows nothing. */
export const silentProgressReporter: ProgressReporter = () => undefined;

let current: ProgressReporter = stderrProgressReporter();

/** The reporter downloads use when none is passed; the display layer installs a notebook one here. */
export function setProgressReporter(reporter: ProgressReporter): ProgressReporter {
  const previous = current;
  current = reporter;
  return previous;
}

export function getProgressReporter(): ProgressReporter {
  return current;
}

export function progressLine(file: string, received: number, total: number | null): string {
  if (!total) return `${file}: ${formatBytes(received)}`;
  const frac = Math.min(1, received / total);
  const width = 30;
  const filled = Math.round(frac * width);
  return `${file} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(100 * frac).toFixed(0).padStart(3)}% ${formatBytes(received)}/${formatBytes(total)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
