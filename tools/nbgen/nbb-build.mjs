#!/usr/bin/env node
// Builds notebooks 02, 03, 05 and 06 from their readable sources in tools/nbgen/src/<name>.nb.md.
//
// Source format (the same as nba-build.mjs): a cell starts at a line of its own
//   %% md                 markdown cell
//   %% code               code cell
//   %% code parameters    the papermill "parameters" cell (tagged "parameters")
//   %% quick {...}        once, anywhere: JSON of the quick-mode values -> metadata.workbook.quick
// Blank lines around a cell are dropped. Output: notebooks/<name>.ipynb, nbformat 4.5, no outputs.
//
// Usage: node tools/nbgen/nbb-build.mjs [name ...]   (default: all four)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const NAMES = ["02-mlp-from-scratch", "03-mlp-concise", "05-weight-decay", "06-dropout"];

function parse(text, name) {
  const cells = [];
  let quick = null;
  let cell = null;
  for (const line of text.split("\n")) {
    const marker = /^%% (md|code|quick)(?: (.*))?$/.exec(line);
    if (marker === null) {
      if (cell !== null) cell.lines.push(line);
      else if (line.trim() !== "") throw new Error(`${name}: text before the first %% marker: ${line}`);
      continue;
    }
    const [, kind, rest] = marker;
    if (kind === "quick") {
      if (quick !== null) throw new Error(`${name}: more than one %% quick line`);
      quick = JSON.parse(rest);
      continue;
    }
    if (rest !== undefined && rest !== "parameters") throw new Error(`${name}: unknown cell option "${rest}"`);
    cell = { kind, tags: rest === "parameters" ? ["parameters"] : [], lines: [] };
    cells.push(cell);
  }
  if (quick === null) throw new Error(`${name}: missing "%% quick {...}" line`);
  if (cells.filter((c) => c.tags.includes("parameters")).length !== 1) throw new Error(`${name}: needs exactly one "%% code parameters" cell`);
  return { cells, quick };
}

function sourceLines(lines) {
  const body = [...lines];
  while (body.length > 0 && body[0].trim() === "") body.shift();
  while (body.length > 0 && body[body.length - 1].trim() === "") body.pop();
  return body.map((l, i) => (i < body.length - 1 ? `${l}\n` : l));
}

function build(name) {
  const { cells, quick } = parse(readFileSync(join(here, "src", `${name}.nb.md`), "utf8"), name);
  const prefix = name.slice(0, 2);
  const nb = {
    cells: cells.map((c, i) => {
      const id = `nb${prefix}-${String(i).padStart(2, "0")}`;
      const metadata = c.tags.length > 0 ? { tags: c.tags } : {};
      const source = sourceLines(c.lines);
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
  writeFileSync(out, `${JSON.stringify(nb, null, 1)}\n`);
  console.log(`wrote ${out} (${nb.cells.length} cells)`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : NAMES) {
  if (!NAMES.includes(name)) throw new Error(`unknown notebook ${name}; expected one of ${NAMES.join(", ")}`);
  build(name);
}
