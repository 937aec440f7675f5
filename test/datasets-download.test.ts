import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { spawn } from "node:child_process";
import * as zlib from "node:zlib";
import { FashionMNIST, ProgressEvent, getProgressReporter, projectCacheDir, setProgressReporter, stderrProgressReporter } from "../kernel-lib/src/datasets/index";
import { progressLine } from "../kernel-lib/src/datasets/progress";
import { TinyDataset, listFiles, tempDir, tinyDataset, tinyPixel } from "./datasets-helpers";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local server: each request path is answered by `handler(name)`; requests are counted. */
class TestServer {
  requests: string[] = [];
  private server: http.Server;
  constructor(private handler: (name: string) => Handler) {
    this.server = http.createServer((req, res) => {
      const name = (req.url ?? "").split("/").pop() ?? "";
      this.requests.push(name);
      this.handler(name)(req, res);
    });
  }
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fashion/`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const serveBytes = (bytes: Uint8Array | undefined): Handler => (_req, res) => {
  if (bytes === undefined) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, { "Content-Length": bytes.length, "Content-Type": "application/octet-stream" }).end(bytes);
};

const tiny: TinyDataset = tinyDataset();
if ((tiny.files.get("train-images-idx3-ubyte.gz") as Uint8Array).length <= 100) throw new Error("the mid-stream test needs a train images file over 100 bytes");
const scratch = tempDir("download");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});
async function startServer(handler: (name: string) => Handler): Promise<{ server: TestServer; url: string }> {
  const server = new TestServer(handler);
  servers.push(server);
  return { server, url: await server.start() };
}

let counter = 0;
function freshRoot(): string {
  return path.join(scratch, `root-${counter++}`);
}

function expectNothingSaved(root: string): void {
  expect(listFiles(root).filter((f) => !f.startsWith("."))).toEqual([]);
  expect(listFiles(root)).toEqual([]); // no leftover temporary .part file either
}

describe("FashionMNIST download from a local HTTP server", () => {
  it("downloads, verifies, caches, then reads the cache without the network", async () => {
    const { server, url } = await startServer((name) => serveBytes(tiny.files.get(name)));
    const root = freshRoot();
    const events: ProgressEvent[] = [];
    const ds = await FashionMNIST.load({ root, train: true, baseUrl: url, source: tiny.source, reporter: (e) => events.push(e) });
    expect(ds.length).toBe(6);
    expect(ds.data.shape).toEqual([6, 8, 8]);
    expect(Array.from(ds.targets.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ds.data.dataSync()[64 + 1]).toBe(tinyPixel(1, 1));
    expect(listFiles(root)).toEqual(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]);
    expect(server.requests.sort()).toEqual(listFiles(root));
    expect(events.filter((e) => e.kind === "start").map((e) => e.file)).toHaveLength(4);
    const done = events.filter((e): e is Extract<ProgressEvent, { kind: "done" }> => e.kind === "done");
    expect(done.map((e) => e.path).sort()).toEqual(listFiles(root).map((f) => path.join(root, f)));

    // the test split comes from the cache: no new request
    const test = await FashionMNIST.load({ root, train: false, baseUrl: url, source: tiny.source });
    expect(test.length).toBe(4);
    expect(server.requests).toHaveLength(4);

    // a missing file is fetched alone
    fs.rmSync(path.join(root, "t10k-labels-idx1-ubyte.gz"));
    await FashionMNIST.download({ root, baseUrl: url, source: tiny.source, reporter: () => undefined });
    expect(server.requests).toHaveLength(5);
    expect(server.requests[4]).toBe("t10k-labels-idx1-ubyte.gz");
  });

  it("accepts a mirror's differently compressed copy whose content has the committed SHA-256", async () => {
    await startServer((name) => serveBytes(zlib.gzipSync(tiny.raw.get(name) as Uint8Array, { level: 1 })));
    const { url } = await startServer((name) => serveBytes(zlib.gzipSync(tiny.raw.get(name) as Uint8Array, { level: 1, memLevel: 1 })));
    const root = freshRoot();
    const ds = await FashionMNIST.load({ root, train: false, baseUrl: url, source: tiny.source, reporter: () => undefined });
    expect(ds.length).toBe(4);
  });

  it("a truncated body fails the checksum and leaves no file", async () => {
    const { url } = await startServer((name) => (_req, res) => {
      const bytes = tiny.files.get(name) as Uint8Array;
      res.writeHead(200, { Connection: "close" }); // no Content-Length: only the checksum can tell
      res.end(bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    const root = freshRoot();
    const attempt = FashionMNIST.load({ root, baseUrl: url, source: tiny.source, reporter: () => undefined });
    await expect(attempt).rejects.toThrow(/TinyFashion: download failed: train-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/fashion\/train-images-idx3-ubyte\.gz: checksum mismatch: SHA-256 of the \d+ bytes received is [0-9a-f]{64}, expected [0-9a-f]{64}/);
    await expect(attempt).rejects.toThrow(new RegExp(`Nothing was saved[\\s\\S]*and put them in ${root.replace(/[/.]/g, "\\$&")}`));
    expectNothingSaved(root);
  });

  it("a wrong checksum leaves no file and says how to place the files by hand", async () => {
    const { url } = await startServer((name) => {
      const bad = Uint8Array.from(tiny.files.get(name) as Uint8Array);
      bad[bad.length - 1] ^= 1;
      return serveBytes(bad);
    });
    const root = freshRoot();
    const attempt = FashionMNIST.load({ root, baseUrl: url, source: tiny.source, reporter: () => undefined });
    await expect(attempt).rejects.toThrow(/checksum mismatch/);
    await expect(attempt).rejects.toThrow(/To place the files by hand, download http:\/\/127\.0\.0\.1:\d+\/fashion\/train-images-idx3-ubyte\.gz .*t10k-labels-idx1-ubyte\.gz/);
    expectNothingSaved(root);
  });

  it("a 404 is reported with the URL and leaves no file", async () => {
    const { url } = await startServer(() => serveBytes(undefined));
    const root = freshRoot();
    await expect(FashionMNIST.load({ root, baseUrl: url, source: tiny.source, reporter: () => undefined })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/fashion\/train-images-idx3-ubyte\.gz: HTTP 404 Not Found/,
    );
    expectNothingSaved(root);
  });

  it("a server closing mid-stream is reported and leaves no file", async () => {
    const { url } = await startServer((name) => (_req, res) => {
      const bytes = tiny.files.get(name) as Uint8Array;
      res.writeHead(200, { "Content-Length": bytes.length });
      res.write(bytes.subarray(0, 100), () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const root = freshRoot();
    const events: ProgressEvent[] = [];
    await expect(FashionMNIST.load({ root, baseUrl: url, source: tiny.source, reporter: (e) => events.push(e) })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz from .*: (the connection closed after 100 bytes of \d+|the transfer failed after 100 bytes)/,
    );
    expect(events.some((e) => e.kind === "error")).toBe(true);
    expectNothingSaved(root);
  });

  it("a stalled transfer times out and leaves no file", async () => {
    const { url } = await startServer((name) => (_req, res) => {
      const bytes = tiny.files.get(name) as Uint8Array;
      res.writeHead(200, { "Content-Length": bytes.length });
      res.write(bytes.subarray(0, 10)); // then nothing
    });
    const root = freshRoot();
    await expect(FashionMNIST.load({ root, baseUrl: url, source: tiny.source, timeoutMs: 300, reporter: () => undefined })).rejects.toThrow(
      /no data for 0\.3 s/,
    );
    expectNothingSaved(root);
  });

  it("refuses download: false with the folders it searched", () => {
    const root = freshRoot();
    expect(() => new FashionMNIST({ root, download: false, source: tiny.source })).toThrow(
      new RegExp(`TinyFashion: the train files \\(train-images-idx3-ubyte\\.gz, train-labels-idx1-ubyte\\.gz\\) were not found in:\\n  ${root.replace(/[/.]/g, "\\$&")} \\(root option\\)[\\s\\S]*\\(system package\\)`),
    );
  });
});

describe("read-only cache folders", () => {
  // Tests run as root, and chmod does not stop root from writing. A folder that cannot exist does: its parent
  // path is a regular file, so mkdir fails with ENOTDIR for any user, which is what a read-only cache means here.
  it("an explicit root that cannot be written is a clear error, not a crash", async () => {
    const blocker = path.join(scratch, "a-file");
    fs.writeFileSync(blocker, "not a folder");
    const root = path.join(blocker, "data");
    const attempt = FashionMNIST.load({ root, baseUrl: "http://127.0.0.1:9/", source: tiny.source, reporter: () => undefined });
    await expect(attempt).rejects.toThrow(/TinyFashion: the files are not on this machine and there is no writable folder to download them to:\n  .*a-file\/data: ENOTDIR/);
    await expect(attempt).rejects.toThrow(/Pass \{ root \} naming a writable folder or set KERNEL_LIB_DATA, or place the files by hand/);
    expect(fs.readFileSync(blocker, "utf8")).toBe("not a folder");
  });

  it("an unwritable project cache falls back to the user cache", async () => {
    const projectCache = projectCacheDir(tiny.source);
    expect(projectCache).not.toBeNull();
    const saved = { data: process.env.KERNEL_LIB_DATA, xdg: process.env.XDG_CACHE_HOME };
    const userCache = path.join(scratch, "xdg");
    fs.mkdirSync(path.dirname(projectCache as string), { recursive: true });
    fs.writeFileSync(projectCache as string, "a file where the cache folder should be");
    delete process.env.KERNEL_LIB_DATA;
    process.env.XDG_CACHE_HOME = userCache;
    try {
      const { url } = await startServer((name) => serveBytes(tiny.files.get(name)));
      const ds = await FashionMNIST.load({ train: false, baseUrl: url, source: tiny.source, reporter: () => undefined });
      expect(ds.files.dir).toBe(path.join(userCache, "kernel-lib", tiny.source.folder));
      expect(listFiles(ds.files.dir)).toHaveLength(4);
    } finally {
      fs.rmSync(projectCache as string, { force: true });
      if (saved.data === undefined) delete process.env.KERNEL_LIB_DATA;
      else process.env.KERNEL_LIB_DATA = saved.data;
      if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved.xdg;
    }
  });
});

describe("the blocking download behind new FashionMNIST()", () => {
  // The constructor blocks this process, so the files are served by a separate Node process.
  let child: ReturnType<typeof spawn>;
  let baseUrl = "";
  const served = path.join(scratch, "served");
  beforeAll(async () => {
    fs.mkdirSync(served, { recursive: true });
    for (const [name, bytes] of tiny.files) fs.writeFileSync(path.join(served, name), bytes);
    const script = `
      const http = require("node:http"), fs = require("node:fs"), path = require("node:path");
      const dir = process.argv[1];
      http.createServer((req, res) => {
        const p = path.join(dir, path.basename(req.url));
        if (!fs.existsSync(p)) { res.writeHead(404).end(); return; }
        const bytes = fs.readFileSync(p);
        res.writeHead(200, { "Content-Length": bytes.length }).end(bytes);
      }).listen(0, "127.0.0.1", function () { process.stdout.write(String(this.address().port) + "\\n"); });`;
    child = spawn(process.execPath, ["-e", script, served], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<string>((resolve) => child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim())));
    baseUrl = `http://127.0.0.1:${port}/`;
  });
  afterAll(() => {
    child.kill();
  });

  it("downloads and verifies synchronously", () => {
    const root = freshRoot();
    const ds = new FashionMNIST(root, { train: false, baseUrl, source: tiny.source });
    expect(ds.length).toBe(4);
    expect(Array.from(ds.targets.dataSync())).toEqual([0, 1, 2, 3]);
    expect(listFiles(root)).toHaveLength(4);
  });

  it("reports a failed blocking download and leaves no file", () => {
    const root = freshRoot();
    expect(() => new FashionMNIST(root, { baseUrl: `${baseUrl}missing/`, source: { ...tiny.source, files: tiny.source.files.map((f) => ({ ...f, name: `x-${f.name}` })) } })).toThrow(
      /TinyFashion: download failed: x-train-images-idx3-ubyte\.gz from http:\/\/127\.0\.0\.1:\d+\/missing\/x-train-images-idx3-ubyte\.gz: HTTP 404/,
    );
    expectNothingSaved(root);
  });

  it("reports a wrong checksum in the blocking path too", () => {
    const root = freshRoot();
    const source = { ...tiny.source, files: tiny.source.files.map((f) => ({ ...f, sha256: "0".repeat(64), contentSha256: "1".repeat(64) })) };
    expect(() => new FashionMNIST(root, { baseUrl, source })).toThrow(/checksum mismatch: SHA-256 of the \d+ bytes received is [0-9a-f]{64}, expected 0{64}/);
    expectNothingSaved(root);
  });
});

describe("progress display", () => {
  it("draws a bar with percentage and sizes", () => {
    expect(progressLine("f.gz", 512 * 1024, 1024 * 1024)).toBe("f.gz [###############...............]  50% 512.0 KiB/1.0 MiB");
    expect(progressLine("f.gz", 300, null)).toBe("f.gz: 300 B");
  });

  it("the default reporter writes a line per 10% through console.error when stderr is not a terminal", () => {
    expect(process.stderr.isTTY).not.toBe(true);
    const lines: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((text: string) => void lines.push(text));
    try {
      const report = stderrProgressReporter();
      report({ kind: "start", file: "f.gz", url: "http://x/f.gz", totalBytes: 1000 });
      for (let r = 0; r <= 1000; r += 50) report({ kind: "progress", file: "f.gz", receivedBytes: r, totalBytes: 1000 });
      report({ kind: "done", file: "f.gz", receivedBytes: 1000, path: "/c/f.gz" });
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toBe("Downloading http://x/f.gz (1000 B)");
    expect(lines.filter((l) => l.startsWith("f.gz ["))).toHaveLength(11);
    expect(lines[lines.length - 1]).toBe("f.gz: 1000 B verified, saved to /c/f.gz");
  });

  it("setProgressReporter swaps the reporter downloads use by default", () => {
    const mine = () => undefined;
    const previous = setProgressReporter(mine);
    expect(getProgressReporter()).toBe(mine);
    setProgressReporter(previous);
    expect(getProgressReporter()).toBe(previous);
  });
});
