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

/**
 * A text progress bar: redrawn in place on a terminal's stderr; elsewhere (a notebook kernel, a log) one line
 * per 10% through console.error, which Jupyter kernels show as the cell's stderr.
 */
export function stderrProgressReporter(): ProgressReporter {
  const tty = process.stderr.isTTY === true;
  const line = (text: string): void => {
    if (tty) process.stderr.write(`${text}\n`);
    else console.error(text);
  };
  let lastDecile = -1;
  return (ev) => {
    if (ev.kind === "start") {
      lastDecile = -1;
      line(`Downloading ${ev.url}${ev.totalBytes !== null ? ` (${formatBytes(ev.totalBytes)})` : ""}`);
    } else if (ev.kind === "progress") {
      const text = progressLine(ev.file, ev.receivedBytes, ev.totalBytes);
      if (tty) process.stderr.write(`\r${text}`);
      else if (ev.totalBytes) {
        const decile = Math.floor((10 * ev.receivedBytes) / ev.totalBytes);
        if (decile > lastDecile) {
          lastDecile = decile;
          line(text);
        }
      }
    } else if (ev.kind === "done") {
      if (tty) process.stderr.write("\n");
      line(`${ev.file}: ${formatBytes(ev.receivedBytes)} verified, saved to ${ev.path}`);
    } else {
      if (tty) process.stderr.write("\n");
      line(`${ev.file}: download failed: ${ev.message}`);
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
