import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The connection file a kernel is started with (Jupyter's format). */
export interface ConnectionInfo {
  transport: "ipc" | "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

export type Channel = "shell" | "iopub" | "stdin" | "control" | "hb";

/**
 * A fresh connection for one kernel inside its own temporary folder. On POSIX systems the sockets are
 * Unix domain sockets in that folder (no TCP port can be taken by a concurrent kernel); on Windows TCP
 * on 127.0.0.1 with distinct ports picked at random.
 */
export function createConnection(kernelName: string): { dir: string; file: string; info: ConnectionInfo } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-kernel-"));
  const ipc = process.platform !== "win32";
  const base = ipc ? 1 : 20000 + Math.floor(Math.random() * 40000);
  const info: ConnectionInfo = {
    transport: ipc ? "ipc" : "tcp",
    ip: ipc ? path.join(dir, "k") : "127.0.0.1",
    shell_port: base,
    iopub_port: base + 1,
    stdin_port: base + 2,
    control_port: base + 3,
    hb_port: base + 4,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: kernelName,
  };
  const file = path.join(dir, "connection.json");
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return { dir, file, info };
}

/** The address of a channel as jupyter_client spells it: `tcp://IP:PORT`, or `ipc://PATH-PORT` for Unix sockets. */
export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port` as const];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `${info.transport}://${info.ip}:${port}`;
}
