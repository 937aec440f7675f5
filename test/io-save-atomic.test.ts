import { spawn } from "child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";
import { ROOT } from "./runner-helpers";

const dir = mkdtempSync(join(tmpdir(), "kernel-lib-save-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("torch.save writes atomically", () => {
  it("a save killed part way leaves the previous checkpoint intact", async () => {
    const file = join(dir, "ckpt.safetensors");
    torch.save({ w: torch.tensor([1, 2, 3]) }, file);
    const before = statSync(file).size;
    // A second Node process saves 400 MB over it and is SIGKILLed as soon as its temporary file has data.
    const script = `const { torch } = require(${JSON.stringify(join(ROOT, "kernel-lib"))});
const w = torch.ones([100 * 1024 * 1024]);
process.stdout.write("ready\\n");
torch.save({ w }, ${JSON.stringify(file)});
process.stdout.write("saved\\n");`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const deadline = Date.now() + 60_000;
    let killedMidWrite = false;
    while (Date.now() < deadline && !out.includes("saved")) {
      const temp = readdirSync(dir).find((f) => f.endsWith(".tmp"));
      if (temp && statSync(join(dir, temp)).size > 0) {
        child.kill("SIGKILL");
        killedMidWrite = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await exited;
    expect(killedMidWrite, `the child finished before it could be killed: ${out}`).toBe(true);
    expect(statSync(file).size).toBe(before);
    expect(torch.load<Record<string, torch.Tensor>>(file).w.tolist()).toEqual([1, 2, 3]);
  }, 120_000);

  it("a finished save replaces the file and leaves no temporary file", () => {
    const file = join(dir, "replace.safetensors");
    torch.save({ w: torch.tensor([1]) }, file);
    torch.save({ w: torch.tensor([5, 6]) }, file);
    expect(torch.load<Record<string, torch.Tensor>>(file).w.tolist()).toEqual([5, 6]);
    expect(readdirSync(dir).filter((f) => f.startsWith(".replace"))).toEqual([]);
  });

  it("a folder that does not exist is one clear error", () => {
    expect(() => torch.save({ w: torch.tensor([1]) }, join(dir, "no-such-dir", "x.safetensors"))).toThrow(/save: cannot write .*no-such-dir.*ENOENT/);
  });
});
