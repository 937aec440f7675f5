// Headless Chromium (Debian's, driven by playwright-core) against a Jupyter server of our own, for the
// browser tests: finding the tools, a server on a free loopback port with a token, a fresh browser profile.
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { chromium, BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.BROWSER_CHROMIUM || "/usr/bin/chromium";

/** Launch flags: no sandbox (root in CI), no GPU, and nothing that phones home (outbound is refused here). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The absolute path of `command` on PATH (or the path itself when it has a slash and is executable), else null. */
export function which(command: string): string | null {
  const candidates = command.includes("/") ? [command] : (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, command));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Whether the Chromium binary exists and starts (`--version`). */
export function chromiumWorks(): boolean {
  return which(CHROMIUM) !== null && spawnSync(CHROMIUM, ["--version"], { stdio: "ignore", timeout: 30_000 }).status === 0;
}

/** A fresh browser profile (its own --user-data-dir) that may only reach `allowed` URLs; the rest are aborted. */
export async function launchChromium(userDataDir: string, allowed: (url: string) => boolean): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1400 },
  });
  await context.route("**/*", (route) => (allowed(route.request().url()) ? route.continue() : route.abort()));
  return context;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface JupyterServer {
  readonly base: string;
  readonly token: string;
  /** Everything the server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command args` (a Jupyter server listening on `port`) and waits until /api/status answers with
 * the token. The server is stopped with SIGTERM (then SIGKILL) by `stop()`.
 */
export async function startJupyterServer(
  command: string,
  args: string[],
  options: { port: number; token: string; env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<JupyterServer> {
  const child: ChildProcess = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  const base = `http://127.0.0.1:${options.port}/`;
  const server: JupyterServer = {
    base,
    token: options.token,
    log: () => output,
    stop: async () => {
      if (exited !== undefined) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${command} exited with ${exited} before serving:\n${output}`);
    try {
      const res = await fetch(`${base}api/status?token=${options.token}`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${command} did not answer on ${base} within ${(options.timeoutMs ?? 90_000) / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A notebook for our kernel, with code cells only. */
export function codeNotebook(cells: string[]): string {
  return JSON.stringify(
    {
      cells: cells.map((source, i) => ({ cell_type: "code", execution_count: null, id: `cell-${i}`, metadata: {}, outputs: [], source })),
      metadata: {
        kernelspec: { display_name: "TypeScript (kernel-lib)", language: "typescript", name: "kernel-lib-ts" },
        language_info: { name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}
