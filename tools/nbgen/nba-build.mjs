#!/usr/bin/env node
// Builds notebooks 01, 04, 07 and 13 from their readable sources in tools/nbgen/src/*.nb.md.
//
// Source format: a cell starts at a line of its own:
//   %% md                 markdown cell
//   %% code               code cell
//   %% code parameters    the papermill "parameters" cell (tagged)
//   %% quick {...}        (anywhere, once) JSON of the quick-mode values -> metadata.workbook.quick
// Blank lines at the start and end of a cell are dropped. Output: notebooks/<name>.ipynb without outputs.
//
// Usage: node tools/nbgen/nba-build.mjs [name ...]   (default: all four)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const NAMES = ["01-activation-functions", "04-forward-backward", "07-xor", "13-universal-approximation"];

function parse(text, name) {
  const cells = [];
  let quick = null;
  let current = null;
  for (const line of text.split("\n")) {
    const m = /^%% (md|code|quick)(?: (.*))?$/.exec(line);
    if (m) {
      if (m[1] === "quick") {
        quick = JSON.parse(m[2]);
        continue;
      }
      current = { kind: m[1], tags: m[2] === "parameters" ? ["parameters"] : [], lines: [] };
      cells.push(current);
      continue;
    }
    if (current === null) {
      if (line.trim() !== "") throw new Error(`${name}: text before the first cell marker: ${line}`);
      continue;
    }
    current.lines.push(line);
  }
  if (quick === null) throw new Error(`${name}: missing "%% quick {...}" line`);
  if (cells.filter((c) => c.tags.includes("parameters")).length !== 1) {
    throw new Error(`${name}: needs exactly one "%% code parameters" cell`);
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
      const metadata = c.tags.length > 0 ? { tags: c.tags } : {};
      const source = toSource(c.lines);
      return c.kind === "md"
        ? { cell_type: "markdown", id, metadata, source }
        : { cell_type: "code", execution_count: null, id, metadata, outputs: [], source };
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
  writeFileSync(out, JSON.stringify(nb, null, 1) + "\n");
  console.log(`wrote ${out} (${nb.cells.length} cells)`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : NAMES) {
  if (!NAMES.includes(name)) throw new Error(`unknown notebook ${name}; expected one of ${NAMES.join(", ")}`);
  build(name);
}
