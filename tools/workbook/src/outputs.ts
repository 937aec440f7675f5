import type { JupyterMessage } from "./jupyter/wire";
import type { DisplayDataOutput, ExecuteResultOutput, MimeBundle, Output, StreamOutput } from "./notebook-types";

/**
 * Turns a cell's iopub messages into nbformat outputs the way Jupyter's clients do: consecutive writes to
 * the same stream are merged, clear_output empties the cell (or defers until the next output with
 * wait=true), and update_display_data rewrites, in place, every earlier output that carries the same
 * display_id, also in earlier cells of the same notebook (the collector is shared by the whole run).
 */
/** Stream text (stdout and stderr together) kept per cell; the rest is dropped with a visible note. */
export const OUTPUT_LIMIT_CHARS = 2_000_000;

export class OutputCollector {
  /** Characters of stream text kept in this cell, and dropped past the limit. */
  private streamChars = 0;
  private dropped = 0;
  private truncationNote: StreamOutput | undefined;
  private readonly displays = new Map<string, Array<DisplayDataOutput | ExecuteResultOutput>>();
  private outputs: Output[] = [];
  private clearOnNext = false;
  /** stderr writes since the last other output: the kernel's error report when a cell fails. */
  private trailingStderr: string[] = [];
  executionCount: number | null = null;

  /** Starts a new cell; the returned array is filled as messages arrive. */
  constructor(private readonly limitChars: number = OUTPUT_LIMIT_CHARS) {}

  begin(): Output[] {
    this.streamChars = 0;
    this.dropped = 0;
    this.truncationNote = undefined;
    this.outputs = [];
    this.clearOnNext = false;
    this.trailingStderr = [];
    this.executionCount = null;
    return this.outputs;
  }

  /** The stderr text written after the cell's last other output. */
  stderrTail(): string[] {
    return [...this.trailingStderr];
  }

  handle(msg: JupyterMessage): void {
    const c = msg.content;
    switch (msg.header.msg_type) {
      case "execute_input":
        if (typeof c.execution_count === "number") this.executionCount = c.execution_count;
        return;
      case "stream":
        this.stream(c.name === "stderr" ? "stderr" : "stdout", String(c.text ?? ""));
        return;
      case "display_data": {
        const out: DisplayDataOutput = { output_type: "display_data", data: bundle(c.data), metadata: record(c.metadata) };
        this.push(out);
        this.register(c, out);
        return;
      }
      case "execute_result": {
        const count = typeof c.execution_count === "number" ? c.execution_count : this.executionCount;
        const out: ExecuteResultOutput = {
          output_type: "execute_result",
          execution_count: count,
          data: bundle(c.data),
          metadata: record(c.metadata),
        };
        this.push(out);
        this.register(c, out);
        return;
      }
      case "update_display_data": {
        const id = displayId(c);
        for (const out of (id && this.displays.get(id)) || []) {
          out.data = bundle(c.data);
          out.metadata = record(c.metadata);
        }
        return;
      }
      case "error":
        this.push({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return;
      case "clear_output":
        if (c.wait === true) this.clearOnNext = true;
        else this.clear();
        return;
      default:
        return;
    }
  }

  /** Adds a line of the runner's own (stderr) to the cell, e.g. that its output may be incomplete. */
  note(text: string): void {
    this.outputs.push({ output_type: "stream", name: "stderr", text });
  }

  private stream(name: "stdout" | "stderr", text: string): void {
    if (this.clearOnNext) this.clear();
    if (this.streamChars + text.length > this.limitChars) {
      // The error report of a cell that fails after printing too much is still read from stderr.
      if (name === "stderr") this.trailingStderr = [...this.trailingStderr.slice(-20), text];
      const room = Math.max(0, this.limitChars - this.streamChars);
      this.dropped += text.length - room;
      text = text.slice(0, room);
      if (!this.truncationNote) {
        this.truncationNote = { output_type: "stream", name: "stderr", text: "" };
        if (text !== "") this.appendStream(name, text);
        this.streamChars += text.length;
        this.outputs.push(this.truncationNote);
      }
      this.truncationNote.text = `\n[workbook: output truncated: this cell printed more than ${this.limitChars.toLocaleString("en-US")} characters; ${this.dropped.toLocaleString("en-US")} more were dropped]\n`;
      return;
    }
    this.streamChars += text.length;
    this.appendStream(name, text);
  }

  private appendStream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (last && last.output_type === "stream" && last.name === name) {
      last.text = String(last.text) + text;
    } else {
      const out: StreamOutput = { output_type: "stream", name, text };
      this.outputs.push(out);
    }
    if (name === "stderr") this.trailingStderr.push(text);
    else this.trailingStderr = [];
  }

  private push(out: Output): void {
    if (this.clearOnNext) this.clear();
    this.outputs.push(out);
    this.trailingStderr = [];
  }

  private clear(): void {
    this.outputs.length = 0;
    // What was cleared no longer counts (a progress bar redrawn for an hour is not too much output).
    this.streamChars = 0;
    this.truncationNote = undefined;
    this.clearOnNext = false;
  }

  private register(content: Record<string, unknown>, out: DisplayDataOutput | ExecuteResultOutput): void {
    const id = displayId(content);
    if (!id) return;
    const list = this.displays.get(id) ?? [];
    list.push(out);
    this.displays.set(id, list);
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const t = content.transient;
  if (t && typeof t === "object" && typeof (t as Record<string, unknown>).display_id === "string") {
    return (t as Record<string, string>).display_id;
  }
  return undefined;
}

function bundle(v: unknown): MimeBundle {
  return v && typeof v === "object" ? { ...(v as MimeBundle) } : {};
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" ? { ...(v as Record<string, unknown>) } : {};
}
