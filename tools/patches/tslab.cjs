// Fixes applied to tslab 1.0.22 by `npm install` (prepare). Each is idempotent (a marker comment shows it was
// applied) and fails loudly if the installed tslab no longer has the code it expects.
//
// 1. Shorthand properties: tslab rewrites a reference to a variable declared in an earlier cell as `exports.NAME`,
//    but misses shorthand properties: with `let lr = 0.1;` in one cell, `new SGD(ps, { lr })` in a later cell
//    fails with "ReferenceError: lr is not defined". The patch rewrites `{ lr }` as `{ lr: exports.lr }`.
//
// tslab's Jupyter server (dist/jupyter.js) is no longer patched: kernel-lib's own kernel
// (tools/workbook/src/kernel, docs/kernel.md) uses tslab's compiler and executor with its own sockets thread,
// which fixes lost output (unqueued zeromq sends, iopub high-water mark) and output held back by a busy cell.
const fs = require("fs");
const path = require("path");

const SHORTHAND_MARKER = "/* kernel-lib patch: shorthand properties */";
const SHORTHAND_ANCHOR = `        function wrapPrevIdentifier(node) {
            var _a, _b;
            if (!ts.isIdentifier(node)) {`;
const SHORTHAND_REPLACEMENT = `        function wrapPrevIdentifier(node) {
            var _a, _b;
            ${SHORTHAND_MARKER}
            if (ts.isShorthandPropertyAssignment(node)) {
                const original = ts.getOriginalNode(node);
                const value = ts.isShorthandPropertyAssignment(original) ? checker.getShorthandAssignmentValueSymbol(original) : undefined;
                const fromPrev = ((value === null || value === void 0 ? void 0 : value.declarations) || []).some((d) => d.getSourceFile() === declsFile);
                if (!fromPrev) {
                    return node;
                }
                const name = node.name.text;
                return ts.factory.createPropertyAssignment(ts.factory.createIdentifier(name), ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), ts.factory.createIdentifier(name)));
            }
            if (!ts.isIdentifier(node)) {`;

const PATCHES = [
  { name: "shorthand properties", file: ["dist", "converter.js"], marker: SHORTHAND_MARKER, anchor: SHORTHAND_ANCHOR, replacement: SHORTHAND_REPLACEMENT },
];

// What kernel-lib's kernel relies on in tslab's executor (tools/workbook/src/kernel/cell-runner.ts): it reports
// diagnostics, thrown values and the last expression through the console it is given, and runs a cell with
// vm.runInThisContext (the kernel names each cell's script through it); tslab's display API publishes through
// jupyter.lastWriteDisplayData. Checked at install so that a changed tslab fails here, not in a lecture.
const CONTRACT = [
  { file: ["dist", "executor.js"], text: 'console.error("%s%d:%d - %s"' },
  { file: ["dist", "executor.js"], text: "console.log(ret);" },
  { file: ["dist", "executor.js"], text: "vm_1.default.runInThisContext(wrapped, {" },
  { file: ["dist", "executor.js"], text: "function createExecutor(rootDir, convs, console) {" },
  { file: ["dist", "jupyter.js"], text: "exports.lastWriteDisplayData = null;" },
];

/** Throws, naming what is missing, when tslab's code no longer has what kernel-lib's kernel relies on. */
function checkTslabContract(root) {
  for (const { file, text } of CONTRACT) {
    const full = path.join(root, "node_modules", "tslab", ...file);
    if (!fs.existsSync(full) || !fs.readFileSync(full, "utf8").includes(text)) {
      throw new Error(`tslab check: ${full} no longer contains \`${text}\`, which kernel-lib's kernel relies on (tslab version changed?); update tools/workbook/src/kernel and tools/patches/tslab.cjs`);
    }
  }
  return "ok";
}

/** Applies every patch to ROOT/node_modules/tslab; returns "patched" or "already patched" for each, by name. */
function patchTslab(root) {
  const results = {};
  for (const patch of PATCHES) {
    const file = path.join(root, "node_modules", "tslab", ...patch.file);
    if (!fs.existsSync(file)) throw new Error(`tslab patch: ${file} not found; run npm install first`);
    const text = fs.readFileSync(file, "utf8");
    if (text.includes(patch.marker)) {
      results[patch.name] = "already patched";
      continue;
    }
    if (!text.includes(patch.anchor)) {
      throw new Error(`tslab patch (${patch.name}): ${file} does not contain the code this patch expects (tslab version changed?); update tools/patches/tslab.cjs`);
    }
    fs.writeFileSync(file, text.replace(patch.anchor, patch.replacement));
    results[patch.name] = "patched";
  }
  return results;
}

module.exports = { patchTslab, checkTslabContract };

if (require.main === module) {
  const results = patchTslab(path.resolve(__dirname, "..", ".."));
  for (const [name, result] of Object.entries(results)) console.log(`tslab patch (${name}): ${result}`);
  console.log(`tslab check (what kernel-lib's kernel relies on): ${checkTslabContract(path.resolve(__dirname, "..", ".."))}`);
}
