import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { d2l, torch } from "../kernel-lib/src/index";
import { getProgressReporter, setProgressReporter } from "../kernel-lib/src/datasets/progress";
import type { ProgressReporter } from "../kernel-lib/src/datasets/progress";
import { installNotebookProgress, notebookProgressReporter } from "../kernel-lib/src/display/progress";
import type { MemoryBackend } from "../kernel-lib/src/display/memory-backend";
import { tempDir, tinyDataset } from "./datasets-helpers";

/** A hand-driven clock in milliseconds. */
function manualClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

const text = (b: Record<string, unknown>) => b["text/plain"] as string;
const html = (b: Record<string, unknown>) => b["text/html"] as string;

let memory: MemoryBackend;
afterEach(() => {
  d2l.setDisplayBackend("auto");
});

describe("notebook download progress (memory backend, injected clock)", () => {
  it("one display, throttled progress updates, and a final 'done' state with percentage, bytes and speed", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock();
    const report = notebookProgressReporter({ now: clock.now, intervalMs: 250 });
    report({ kind: "start", file: "a.gz", url: "http://127.0.0.1:1/a.gz", totalBytes: 1000 });
    // 20 chunks, one every 50 ms: a redraw is due only every 250 ms
    for (let k = 1; k <= 20; k++) {
      clock.advance(50);
      report({ kind: "progress", file: "a.gz", receivedBytes: 50 * k, totalBytes: 1000 });
    }
    report({ kind: "done", file: "a.gz", receivedBytes: 1000, path: "/tmp/a.gz" });

    expect(memory.displays).toHaveLength(1);
    const shown = memory.displays[0];
    expect(shown.live).toBe(true);
    expect(Object.keys(shown.data).sort()).toEqual(["text/html", "text/plain"]);
    expect(text(shown.data)).toContain("a.gz");
    expect(text(shown.data)).toContain("0%");
    // redraws at t = 250, 500, 750, 1000, then the final state
    expect(shown.updates).toHaveLength(5);
    expect(text(shown.updates[1])).toMatch(/a\.gz \[#{15}\.{15}\]  50% 500 B\/1000 B 1000 B\/s$/m);
    const last = shown.latest;
    expect(text(last).split("\n")[0]).toBe("Downloaded 1 file (1000 B), verified");
    expect(text(last)).toMatch(/a\.gz \[#{30}\] 100% 1000 B\/1000 B 1000 B\/s done$/m);
    expect(html(last)).toContain('<progress value="1000" max="1000"');
    expect(html(last)).toContain("100%");
    expect(html(last)).toContain("&#10003; done");
    expect(memory.events.every((e) => e.id === shown.id)).toBe(true);
  });

  it("consecutive files share one display (one row each); a file after the join window opens a new one", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock();
    const report = notebookProgressReporter({ now: clock.now, joinWindowMs: 2000 });
    const file = (name: string, size: number) => {
      report({ kind: "start", file: name, url: `http://h/${name}`, totalBytes: size });
      clock.advance(100);
      report({ kind: "progress", file: name, receivedBytes: size, totalBytes: size });
      report({ kind: "done", file: name, receivedBytes: size, path: `/d/${name}` });
      clock.advance(10);
    };
    file("train-images.gz", 2048);
    file("train-labels.gz", 64);
    expect(memory.displays).toHaveLength(1);
    const first = memory.displays[0].latest;
    expect(text(first).split("\n")).toHaveLength(3);
    expect(text(first).split("\n")[0]).toBe("Downloaded 2 files (2.1 KiB), verified");
    expect(html(first).match(/<progress /g)).toHaveLength(2);

    clock.advance(5000);
    file("later.gz", 10);
    expect(memory.displays).toHaveLength(2);
    expect(text(memory.displays[1].latest).split("\n")).toHaveLength(2);
    expect(text(memory.displays[0].latest)).toBe(text(first)); // the old display is left alone
  });

  it("an unknown total gives an indeterminate bar and a byte count", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock();
    const report = notebookProgressReporter({ now: clock.now });
    report({ kind: "start", file: "x.gz", url: "http://h/x.gz", totalBytes: null });
    clock.advance(500);
    report({ kind: "progress", file: "x.gz", receivedBytes: 3072, totalBytes: null });
    const latest = memory.displays[0].latest;
    expect(html(latest)).toContain("<progress style=");
    expect(text(latest)).toMatch(/x\.gz \[\.{30}\] 3\.0 KiB 6\.0 KiB\/s$/m);
  });

  it("an error is the final state (escaped in html) and closes the display: the next download gets a new one", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock();
    const report = notebookProgressReporter({ now: clock.now });
    report({ kind: "start", file: "b.gz", url: "http://h/b.gz", totalBytes: 400 });
    clock.advance(300);
    report({ kind: "progress", file: "b.gz", receivedBytes: 100, totalBytes: 400 });
    clock.advance(10);
    report({ kind: "error", file: "b.gz", message: "checksum mismatch: <bad> & wrong" });

    expect(memory.displays).toHaveLength(1);
    const last = memory.displays[0].latest;
    expect(text(last).split("\n")[0]).toBe("Download failed: b.gz: checksum mismatch: <bad> & wrong");
    expect(text(last)).toMatch(/b\.gz \[#{8}\.{22}\]  25% 100 B\/400 B .* failed: checksum mismatch: <bad> & wrong$/m);
    expect(html(last)).toContain("failed: checksum mismatch: &lt;bad&gt; &amp; wrong");
    expect(html(last)).not.toContain("<bad>");
    expect(html(last)).toContain('<progress value="100" max="400"');

    clock.advance(10);
    report({ kind: "start", file: "b.gz", url: "http://h/b.gz", totalBytes: 400 });
    expect(memory.displays).toHaveLength(2);
  });

  it("an error before any byte (HTTP 404) still shows one display with the failure", () => {
    memory = d2l.captureDisplays();
    const report = notebookProgressReporter({ now: manualClock().now });
    report({ kind: "error", file: "c.gz", message: "HTTP 404 Not Found from http://h/c.gz" });
    expect(memory.displays).toHaveLength(1);
    expect(memory.displays[0].updates).toHaveLength(0);
    expect(text(memory.displays[0].data)).toContain("c.gz");
    expect(text(memory.displays[0].data)).toContain("failed: HTTP 404 Not Found");
  });
});

describe("a real download through the datasets API", () => {
  const tiny = tinyDataset();
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = tiny.files.get(path.basename(req.url ?? ""));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-length": body.length });
      res.end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("FashionMNIST.download shows the four files as one display ending in 'Downloaded 4 files'", async () => {
    memory = d2l.captureDisplays();
    const root = tempDir("progress");
    const reporter = notebookProgressReporter({ joinWindowMs: 60_000 });
    await torch.datasets.FashionMNIST.download({ root, baseUrl: url, source: tiny.source, reporter });
    expect(memory.displays).toHaveLength(1);
    const last = text(memory.displays[0].latest).split("\n");
    expect(last[0]).toMatch(/^Downloaded 4 files \(.*\), verified$/);
    for (const f of tiny.source.files) expect(last.some((l) => l.includes(f.name) && l.includes("100%") && l.endsWith("done"))).toBe(true);
    expect(fs.readdirSync(root).sort()).toEqual(tiny.source.files.map((f) => f.name).sort());
  });
});

describe("where the reporter is installed", () => {
  it("outside Jupyter the datasets' default reporter is still the stderr one (no display)", () => {
    memory = d2l.captureDisplays();
    expect(installNotebookProgress()).toBe(false);
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const report = getProgressReporter();
      report({ kind: "start", file: "d.gz", url: "http://h/d.gz", totalBytes: 10 });
      report({ kind: "done", file: "d.gz", receivedBytes: 10, path: "/d/d.gz" });
      const lines = [...spy.mock.calls.map((c) => String(c[0])), ...write.mock.calls.map((c) => String(c[0]))].join("");
      expect(lines).toContain("Downloading http://h/d.gz");
      expect(lines).toContain("d.gz: 10 B verified, saved to /d/d.gz");
    } finally {
      spy.mockRestore();
      write.mockRestore();
    }
    expect(memory.displays).toHaveLength(0);
  });

  it("inside a tslab kernel it installs the notebook reporter: display_data then update_display_data, one id", () => {
    const FAKE = "/opt/fake-kernel/node_modules/tslab/dist/jupyter.js";
    const sent: { update: boolean; id: string | undefined; data: Record<string, unknown> }[] = [];
    (globalThis as Record<string, unknown>).__tslab__ = {};
    (require.cache as Record<string, unknown>)[FAKE] = {
      exports: {
        lastWriteDisplayData: (c: { data: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) =>
          sent.push({ update, id: c.transient.display_id, data: c.data }),
      },
    };
    const previous: ProgressReporter = getProgressReporter();
    try {
      d2l.setDisplayBackend("auto");
      expect(installNotebookProgress()).toBe(true);
      expect(installNotebookProgress()).toBe(false); // once per process
      const report = getProgressReporter();
      report({ kind: "start", file: "e.gz", url: "http://h/e.gz", totalBytes: 10 });
      report({ kind: "done", file: "e.gz", receivedBytes: 10, path: "/d/e.gz" });
      expect(sent.map((s) => s.update)).toEqual([false, true]);
      expect(new Set(sent.map((s) => s.id)).size).toBe(1);
      expect(sent[1].data["text/plain"]).toContain("Downloaded 1 file");
    } finally {
      setProgressReporter(previous);
      delete (require.cache as Record<string, unknown>)[FAKE];
      delete (globalThis as Record<string, unknown>).__tslab__;
    }
  });
});

describe("d2l.ProgressBar", () => {
  it("one live display, throttled updates, final state with count and rate", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock(1000);
    const bar = new d2l.ProgressBar(10, { description: "epochs", now: clock.now, intervalMs: 250 });
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      bar.update();
    }
    bar.close();
    bar.close(); // a second close does nothing
    expect(memory.displays).toHaveLength(1);
    const shown = memory.displays[0];
    expect(shown.live).toBe(true);
    expect(text(shown.data)).toMatch(/^epochs \[\.{30}\]   0% 0\/10$/);
    // redraws at 300, 600, 900 ms after the start (updates 3, 6, 9), then close
    expect(shown.updates.map((u) => text(u).match(/ (\d+)\/10/)?.[1])).toEqual(["3", "6", "9", "10"]);
    expect(text(shown.latest)).toBe(`epochs [${"#".repeat(30)}] 100% 10/10 10.0 it/s done`);
    expect(bar.n).toBe(10);
    expect(() => bar.update()).toThrow(/ProgressBar.set: the bar "epochs" is already closed/);
  });

  it("fail() shows the error; bad arguments throw naming the value", () => {
    memory = d2l.captureDisplays();
    const clock = manualClock();
    const bar = new d2l.ProgressBar(null, { now: clock.now });
    clock.advance(2000);
    bar.update(4);
    bar.fail(new Error("loss is NaN"));
    expect(text(memory.displays[0].latest)).toBe(`progress [${".".repeat(30)}] 4 2.00 it/s failed: loss is NaN`);
    expect(html(memory.displays[0].latest)).toContain("failed: loss is NaN");
    expect(() => new d2l.ProgressBar(-1)).toThrow(/ProgressBar: total must be a non-negative integer or null, got -1/);
    expect(() => new d2l.ProgressBar(2).update(-3)).toThrow(/ProgressBar.update: n must be a finite number >= 0, got -3/);
  });
});
