// Jupyter discovery as students install it, decided for fake Linux, macOS and Windows machines (no spawning):
// which candidates are tried in which order, how each is spawned, and where the kernel spec goes.
import { describe, expect, it } from "vitest";
import { DiscoveryContext, findJupyter, JupyterCommand, jupyterCandidates, jupyterReportedDataDir, Probe, quoteForCmd, spawnSpec } from "../tools/workbook/src/find-jupyter";
import { jupyterDataDir, kernelDataDir } from "../tools/workbook/src/kernelspec";

function machine(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[] = [], folders: Record<string, string[]> = {}): DiscoveryContext {
  const home = platform === "win32" ? "C:\\Users\\ana" : platform === "darwin" ? "/Users/ana" : "/home/ana";
  return { platform, env: { ...env }, home, exists: (f) => files.includes(f), list: (d) => folders[d] ?? [] };
}
const line = (c: JupyterCommand) => [c.command, ...c.prefix].join(" ");

describe("jupyterCandidates", () => {
  it("Linux: PATH, python3 -m, python -m; then ~/.local/bin and conda folders only where jupyter exists", () => {
    expect(jupyterCandidates(machine("linux", {})).map(line)).toEqual(["jupyter", "python3 -m jupyter", "python -m jupyter"]);
    const ctx = machine("linux", {}, ["/home/ana/.local/bin/jupyter", "/home/ana/miniconda3/bin/jupyter"]);
    expect(jupyterCandidates(ctx).map(line)).toEqual([
      "jupyter", "python3 -m jupyter", "python -m jupyter", "/home/ana/.local/bin/jupyter", "/home/ana/miniconda3/bin/jupyter",
    ]);
  });

  it("an active virtualenv or conda env comes first", () => {
    const ctx = machine("linux", { VIRTUAL_ENV: "/home/ana/venv", CONDA_PREFIX: "/opt/conda/envs/dl" }, ["/home/ana/venv/bin/jupyter", "/opt/conda/envs/dl/bin/jupyter"]);
    const c = jupyterCandidates(ctx);
    expect(c.slice(0, 3).map(line)).toEqual(["/home/ana/venv/bin/jupyter", "/opt/conda/envs/dl/bin/jupyter", "jupyter"]);
    expect(c[0].source).toBe("$VIRTUAL_ENV");
    // an env without Jupyter in it is not a candidate
    expect(jupyterCandidates(machine("linux", { VIRTUAL_ENV: "/home/ana/venv" }))[0].command).toBe("jupyter");
  });

  it("macOS: pip --user's ~/Library/Python/X.Y/bin (newest first) and Homebrew's prefixes", () => {
    const ctx = machine("darwin", {}, ["/Users/ana/Library/Python/3.9/bin/jupyter", "/Users/ana/Library/Python/3.12/bin/jupyter", "/opt/homebrew/bin/jupyter"], {
      "/Users/ana/Library/Python": ["3.9", "3.12", ".DS_Store"],
    });
    expect(jupyterCandidates(ctx).map(line)).toEqual([
      "jupyter", "python3 -m jupyter", "python -m jupyter",
      "/Users/ana/Library/Python/3.12/bin/jupyter", "/Users/ana/Library/Python/3.9/bin/jupyter", "/opt/homebrew/bin/jupyter",
    ]);
  });

  it("Windows: py -m jupyter, Scripts folders of conda/venv, pip's Python3XY\\Scripts, Anaconda", () => {
    const ctx = machine(
      "win32",
      { APPDATA: "C:\\Users\\ana\\AppData\\Roaming", LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local", CONDA_PREFIX: "C:\\Users\\ana\\miniconda3\\envs\\dl" },
      [
        "C:\\Users\\ana\\miniconda3\\envs\\dl\\Scripts\\jupyter.exe",
        "C:\\Users\\ana\\AppData\\Roaming\\Python\\Python312\\Scripts\\jupyter.exe",
        "C:\\Users\\ana\\AppData\\Local\\Programs\\Python\\Python311\\Scripts\\jupyter.exe",
        "C:\\Users\\ana\\anaconda3\\Scripts\\jupyter.exe",
      ],
      { "C:\\Users\\ana\\AppData\\Roaming\\Python": ["Python312"], "C:\\Users\\ana\\AppData\\Local\\Programs\\Python": ["Python39", "Python311", "Launcher"] },
    );
    expect(jupyterCandidates(ctx).map(line)).toEqual([
      "C:\\Users\\ana\\miniconda3\\envs\\dl\\Scripts\\jupyter.exe",
      "jupyter", "py -m jupyter", "python3 -m jupyter", "python -m jupyter",
      "C:\\Users\\ana\\AppData\\Roaming\\Python\\Python312\\Scripts\\jupyter.exe",
      "C:\\Users\\ana\\AppData\\Local\\Programs\\Python\\Python311\\Scripts\\jupyter.exe",
      "C:\\Users\\ana\\anaconda3\\Scripts\\jupyter.exe",
    ]);
  });

  it("WORKBOOK_JUPYTER is the only candidate: a path (spaces allowed) or a command line", () => {
    const path = "/Applications/My Jupyter/bin/jupyter";
    expect(jupyterCandidates(machine("darwin", { WORKBOOK_JUPYTER: path }, [path]))).toEqual([{ command: path, prefix: [], source: "WORKBOOK_JUPYTER" }]);
    expect(jupyterCandidates(machine("win32", { WORKBOOK_JUPYTER: "py -3.12 -m jupyter" }))).toEqual([{ command: "py", prefix: ["-3.12", "-m", "jupyter"], source: "WORKBOOK_JUPYTER" }]);
  });
});

describe("spawnSpec", () => {
  const jupyter = { command: "jupyter", prefix: [], source: "jupyter on PATH" };
  it("Linux and macOS start the program directly", () => {
    for (const platform of ["linux", "darwin"] as const) {
      expect(spawnSpec(jupyter, ["lab", "--notebook-dir=/a b"], platform)).toEqual({ file: "jupyter", args: ["lab", "--notebook-dir=/a b"], shell: false });
    }
  });

  it("Windows goes through cmd.exe for names and .cmd shims (quoting each part), not for .exe paths", () => {
    expect(spawnSpec(jupyter, ["lab", "--notebook-dir=C:\\My Notes"], "win32")).toEqual({ file: 'jupyter lab "--notebook-dir=C:\\My Notes"', args: [], shell: true });
    expect(spawnSpec({ command: "py", prefix: ["-m", "jupyter"], source: "" }, ["--data-dir"], "win32")).toEqual({ file: "py -m jupyter --data-dir", args: [], shell: true });
    const cmd = "C:\\Program Files\\Jupyter\\jupyter.cmd";
    expect(spawnSpec({ command: cmd, prefix: [], source: "" }, ["lab"], "win32").file).toBe(`"${cmd}" lab`);
    const exe = "C:\\Users\\ana\\anaconda3\\Scripts\\jupyter.exe";
    expect(spawnSpec({ command: exe, prefix: [], source: "" }, ["lab"], "win32")).toEqual({ file: exe, args: ["lab"], shell: false });
    expect(quoteForCmd('say "hi"')).toBe('"say ""hi"""');
    expect(quoteForCmd("")).toBe('""');
  });
});

describe("findJupyter and the kernel spec's data folder", () => {
  /** A probe that knows which command lines succeed and what they print. */
  function probe(answers: Record<string, string>): { probe: Probe; asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      probe: (c, args) => {
        const key = [c.command, ...c.prefix, ...args].join(" ");
        asked.push(key);
        return key in answers ? { status: 0, stdout: answers[key] } : { status: null, stdout: "" };
      },
    };
  }

  it("takes the first candidate with JupyterLab, else the classic Notebook", () => {
    const win = jupyterCandidates(machine("win32", { APPDATA: "C:\\A" }));
    const p = probe({ "py -m jupyter notebook --version": "7.0.0\n" });
    const found = findJupyter(win, p.probe);
    expect(found && { line: line(found.jupyter), app: found.app }).toEqual({ line: "py -m jupyter", app: "notebook" });
    expect(p.asked.slice(0, 4)).toEqual(["jupyter lab --version", "jupyter notebook --version", "py -m jupyter lab --version", "py -m jupyter notebook --version"]);
    expect(findJupyter(win, probe({}).probe)).toBeUndefined();
  });

  it("the kernel spec goes where `jupyter --data-dir` points, unless JUPYTER_DATA_DIR is set; else the platform default", () => {
    const linux = jupyterCandidates(machine("linux", {}));
    const reported = jupyterReportedDataDir(linux, probe({ "python3 -m jupyter --data-dir": "/home/ana/.local/share/jupyter-platformdirs\n" }).probe);
    expect(reported).toBe("/home/ana/.local/share/jupyter-platformdirs");
    expect(kernelDataDir(() => reported, { HOME: "/home/ana" }, "linux")).toEqual({ dir: reported, from: "jupyter --data-dir" });
    expect(kernelDataDir(() => reported, { HOME: "/home/ana", JUPYTER_DATA_DIR: "/srv/jd" }, "linux")).toEqual({ dir: "/srv/jd", from: "JUPYTER_DATA_DIR" });
    expect(kernelDataDir(() => undefined, { HOME: "/Users/ana" }, "darwin").dir).toBe("/Users/ana/Library/Jupyter");
    expect(kernelDataDir(() => undefined, { USERPROFILE: "C:\\Users\\ana", APPDATA: "C:\\Users\\ana\\AppData\\Roaming" }, "win32").dir).toBe("C:\\Users\\ana\\AppData\\Roaming\\jupyter");
    expect(jupyterDataDir({ HOME: "/home/ana", XDG_DATA_HOME: "/xdg" }, "linux")).toBe("/xdg/jupyter");
  });
});
