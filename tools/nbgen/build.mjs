#!/usr/bin/env node
// Builds the lecture notebooks from their readable sources in tools/nbgen/src/<name>.nb.md.
// The committed notebooks/<name>.ipynb are what students open; edit the source, then rebuild.
//
// Source format: a cell starts at a line of its own:
//   %% md                       markdown cell
//   %% code                     code cell
//   %% code parameters          the papermill "parameters" cell (tagged)
//   %% code {"lab": {...}}      code cell with this JSON as its metadata (lab test cells: points and id)
//   %% quick {...}              (anywhere, once) JSON of the quick-mode values -> metadata.workbook.quick
// Blank lines at the start and end of a cell are dropped. Output: notebooks/<name>.ipynb without outputs.
//
// Usage: node tools/nbgen/build.mjs [name ...]   (default: all)
//        node tools/nbgen/build.mjs --check        (exit 1 if a committed notebook differs from its source)
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
// Every tools/nbgen/src/<name>.nb.md is a notebook.
const NAMES = readdirSync(join(here, "src"))
  .filter((f) => f.endsWith(".nb.md"))
  .map((f) => f.slice(0, -".nb.md".length))
  .sort();

function parse(text, name) {
  const cells = [];
  let quick = null;
  let current = null;
  text.split("\n").forEach((line, n) => {
    const m = /^%% (md|code|quick)(?: (.*))?$/.exec(line);
    if (m) {
      if (m[1] === "quick") {
        quick = JSON.parse(m[2]);
        return;
      }
      const arg = (m[2] ?? "").trim();
      let metadata = {};
      if (arg === "parameters") metadata = { tags: ["parameters"] };
      else if (arg.startsWith("{")) {
        try {
          metadata = JSON.parse(arg);
        } catch (e) {
          throw new Error(`${name}:${n + 1}: bad cell metadata JSON: ${e.message}`);
        }
      } else if (arg !== "") throw new Error(`${name}:${n + 1}: unknown cell option ${JSON.stringify(arg)}`);
      current = { kind: m[1], metadata, lines: [] };
      cells.push(current);
      return;
    }
    if (current === null) {
      if (line.trim() !== "") throw new Error(`${name}:${n + 1}: text before the first cell marker: ${line}`);
      return;
    }
    current.lines.push(line);
  });
  if (quick === null) throw new Error(`${name}: missing "%% quick {...}" line`);
  const params = cells.filter((c) => (c.metadata.tags ?? []).includes("parameters"));
  if (params.length !== 1) throw new Error(`${name}: needs exactly one "%% code parameters" cell`);
  for (const key of Object.keys(quick)) {
    if (!new RegExp(`^let ${key}\\b`, "m").test(params[0].lines.join("\n"))) {
      throw new Error(`${name}: quick value ${key} is not declared with let in the parameters cell`);
    }
  }
  return { cells, quick };
}

function toSource(lines) {
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l));
}

function build(name) {
  const text = readFileSync(join(here, "src", `${name}.nb.md`), "utf8");
  const { cells, quick } = parse(text, name);
  const prefix = name.slice(0, 2);
  const nb = {
    cells: cells.map((c, i) => {
      const id = `nb${prefix}-${String(i).padStart(2, "0")}`;
      const source = toSource(c.lines);
      return c.kind === "md"
        ? { cell_type: "markdown", id, metadata: c.metadata, source }
        : { cell_type: "code", execution_count: null, id, metadata: c.metadata, outputs: [], source };
    }),
    metadata: {
      kernelspec: { display_name: "TypeScript (kernel-lib)", language: "typescript", name: "kernel-lib-ts" },
      language_info: { file_extension: ".ts", name: "typescript" },
      workbook: { quick },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const out = join(root, "notebooks", `${name}.ipynb`);
  const text2 = JSON.stringify(nb, null, 1) + "\n";
  if (check) {
    const committed = existsSync(out) ? readFileSync(out, "utf8") : null;
    if (committed !== text2) {
      console.error(`${out} differs from tools/nbgen/src/${name}.nb.md: run node tools/nbgen/build.mjs ${name}`);
      return false;
    }
    return true;
  }
  writeFileSync(out, text2);
  console.log(`wrote ${out} (${nb.cells.length} cells)`);
  return true;
}

const check = process.argv.includes("--check");
const wanted = process.argv.slice(2).filter((a) => a !== "--check");
let ok = true;
for (const name of wanted.length > 0 ? wanted : NAMES) {
  if (!NAMES.includes(name)) throw new Error(`unknown notebook ${name} (known: ${NAMES.join(", ")})`);
  ok = build(name) && ok;
}
if (!ok) process.exit(1);
