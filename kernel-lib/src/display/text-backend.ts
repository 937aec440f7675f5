import { newDisplayId } from "./ids";
import { DisplayBackend, DisplayHandle, MimeBundle, ShowOptions } from "./types";

/** The first line of a bundle's text/plain, cut to one terminal-friendly line. */
export function summaryLine(data: MimeBundle): string {
  const text = typeof data["text/plain"] === "string" ? data["text/plain"] : `<display: ${Object.keys(data).join(", ")}>`;
  const line = text.split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function writeLine(stream: "stdout" | "stderr", line: string): void {
  if (typeof process !== "undefined" && process[stream]) process[stream].write(`${line}\n`);
  else if (stream === "stderr") console.error(line);
  else console.log(line);
}

/**
 * Outside Jupyter: every display prints a one-line summary to stdout. Live displays (an Animator) print their
 * progress to stderr instead, at most one line per `intervalMs`, so a long loop never floods the terminal.
 */
export class TextBackend implements DisplayBackend {
  readonly name = "text";

  constructor(private readonly intervalMs = 1000) {}

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    const stream = options.live ? "stderr" : "stdout";
    const text = data["text/plain"];
    writeLine(stream, options.fullText && typeof text === "string" ? text : summaryLine(data));
    let last = Date.now();
    return {
      id: newDisplayId(),
      update: (next: MimeBundle) => {
        const now = Date.now();
        if (now - last < this.intervalMs) return;
        last = now;
        writeLine("stderr", summaryLine(next));
      },
    };
  }
}
