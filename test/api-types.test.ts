// The type-level contract: torch.Tensor / torch.nn.Module / torch.nn.Linear / d2l.Animator are values and types,
// `function net(X: torch.Tensor): torch.Tensor` and `class MLP extends torch.nn.Module` compile, and the
// published declarations (kernel-lib/dist/*.d.ts) are accepted by the TypeScript that tslab bundles (5.0),
// under the compiler options tslab uses for a notebook cell.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";
import { runContract } from "./types/contract";
import { newestMtime } from "./helpers/mtime";

type TS = typeof import("typescript");

const ROOT = path.resolve(__dirname, "..");
const SRC = path.join(ROOT, "kernel-lib", "src");
const DIST = path.join(ROOT, "kernel-lib", "dist");
const CONTRACT = path.join(__dirname, "types", "contract.ts");
// issue 12's PyTorch spellings, as a student types them
const SPELLING = path.join(__dirname, "types", "spelling.ts");
// tslab 1.0.22 compiles cells with its own copy of TypeScript
const tslabTs = require("@tslab/typescript-for-tslab") as TS;
const repoTs = require("typescript") as TS;


/**
 * The folder of kernel-lib's declarations: the built dist when it is at least as new as the sources (what a
 * notebook imports), otherwise the same declarations emitted now by the compiler and options of `npm run build`.
 */
function declarationsDir(): { dir: string; built: boolean } {
  const index = path.join(DIST, "index.d.ts");
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestMtime(SRC)) return { dir: DIST, built: true };
  const out = path.join(ROOT, ".out", `api-types-dts-${process.pid}`);
  fs.rmSync(out, { recursive: true, force: true });
  const configFile = repoTs.readConfigFile(path.join(ROOT, "kernel-lib", "tsconfig.json"), repoTs.sys.readFile);
  const parsed = repoTs.parseJsonConfigFileContent(configFile.config, repoTs.sys, path.join(ROOT, "kernel-lib"));
  const program = repoTs.createProgram(parsed.fileNames, { ...parsed.options, declaration: true, emitDeclarationOnly: true, sourceMap: false, outDir: out });
  const emitted = program.emit();
  expect(emitted.emitSkipped).toBe(false);
  return { dir: out, built: false };
}

function compileConsumer(ts: TS, dtsDir: string, extra: import("typescript").CompilerOptions, source = CONTRACT): string[] {
  const folder = fs.mkdtempSync(path.join(ROOT, ".out", "api-types-consumer-"));
  try {
    const file = path.join(folder, "cell.ts");
    const text = fs.readFileSync(source, "utf8").replace(`from "../../kernel-lib/src/index"`, `from "kernel-lib"`);
    expect(text).toContain(`from "kernel-lib"`);
    fs.writeFileSync(file, text);
    // the options of tslab's converter (node_modules/tslab/dist/converter.js), without emitting
    const options: import("typescript").CompilerOptions = {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2020,
      lib: ["lib.es2020.d.ts"],
      declaration: true,
      experimentalDecorators: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
      baseUrl: ROOT,
      paths: { "kernel-lib": [path.relative(ROOT, path.join(dtsDir, "index.d.ts"))] },
      ...extra,
    };
    const program = ts.createProgram([file], options);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => {
      // with skipLibCheck off, report the declarations of kernel-lib and the cell, not node's or other packages'
      const name = d.file?.fileName ?? "";
      return name === "" || name.startsWith(dtsDir) || name === file.split(path.sep).join("/") || name === file;
    });
    return diagnostics.map((d) => {
      const where = d.file ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describe("type-level contract", () => {
  it("the contract snippet runs: fields of a Module subclass are discovered in definition order", () => {
    torch.manualSeed(0);
    const r = runContract();
    expect(r.names).toEqual(["hidden.weight", "hidden.bias", "out.weight", "out.bias"]);
    expect(r.outShape).toEqual([2, 10]);
    expect(r.scratchShape).toEqual([2, 10]);
    expect(r.seqWeight).toEqual([10, 784]);
    expect(r.predicted.dtype).toBe("int32");
    expect(r.batches).toBe(2);
  });

  it("tslab's bundled TypeScript is the 5.0 a notebook cell is compiled with", () => {
    expect(tslabTs.version).toMatch(/^5\.0\./);
  });

  it("the declarations compile a notebook-style consumer under tslab's TypeScript 5.0 and options, loose and strict", () => {
    fs.mkdirSync(path.join(ROOT, ".out"), { recursive: true });
    const { dir } = declarationsDir();
    try {
      expect(compileConsumer(tslabTs, dir, {})).toEqual([]);
      expect(compileConsumer(tslabTs, dir, { strict: true, noImplicitOverride: true })).toEqual([]);
      // the .d.ts files themselves, checked by 5.0 (no newer syntax in the published types)
      expect(compileConsumer(tslabTs, dir, { skipLibCheck: false, strict: true })).toEqual([]);
    } finally {
      if (dir !== DIST) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("tslab's TypeScript 5.0 accepts each PyTorch spelling of issue 12 (and rejects the misuses marked @ts-expect-error)", () => {
    fs.mkdirSync(path.join(ROOT, ".out"), { recursive: true });
    const { dir } = declarationsDir();
    try {
      expect(compileConsumer(tslabTs, dir, {}, SPELLING)).toEqual([]);
      // a module is a function type, so under noImplicitOverride (not tslab's default) a field named `name` needs
      // `override`: that is the one diagnostic
      const strict = compileConsumer(tslabTs, dir, { strict: true, noImplicitOverride: true }, SPELLING);
      expect(strict).toHaveLength(1);
      expect(strict[0]).toMatch(/cell\.ts:\d+ This member must have an 'override' modifier because it overrides a member in the base class 'Module'/);
      expect(compileConsumer(tslabTs, dir, { strict: true }, SPELLING)).toEqual([]);
      // tslab compiles for Node 20 as ES2022 (native class fields)
      expect(compileConsumer(tslabTs, dir, { target: tslabTs.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"] }, SPELLING)).toEqual([]);
    } finally {
      if (dir !== DIST) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("a type error in a cell is reported (the check is not vacuous)", () => {
    fs.mkdirSync(path.join(ROOT, ".out"), { recursive: true });
    const { dir } = declarationsDir();
    try {
      const saved = fs.readFileSync(CONTRACT, "utf8");
      const broken = saved.replace("return torch.matmul(X.reshape(-1, W.shape[0]), W).add(b);", "return 42;");
      expect(broken).not.toBe(saved);
      const folder = fs.mkdtempSync(path.join(ROOT, ".out", "api-types-broken-"));
      try {
        const file = path.join(folder, "cell.ts");
        fs.writeFileSync(file, broken.replace(`from "../../kernel-lib/src/index"`, `from "kernel-lib"`));
        const program = tslabTs.createProgram([file], {
          noEmit: true, skipLibCheck: true, types: [], baseUrl: ROOT, moduleResolution: tslabTs.ModuleResolutionKind.NodeJs,
          paths: { "kernel-lib": [path.relative(ROOT, path.join(dir, "index.d.ts"))] },
        });
        const messages = tslabTs.getPreEmitDiagnostics(program).map((d) => tslabTs.flattenDiagnosticMessageText(d.messageText, "\n"));
        expect(messages.join("\n")).toMatch(/Type 'number' is not assignable to type 'Tensor'/);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    } finally {
      if (dir !== DIST) fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
