// tslab 1.0.22 rewrites a reference to a variable declared in an earlier cell as `exports.NAME`, but misses
// shorthand properties: with `let lr = 0.1;` in one cell, `new SGD(ps, { lr })` in a later cell fails with
// "ReferenceError: lr is not defined". This patch teaches its converter to rewrite `{ lr }` as
// `{ lr: exports.lr }`. It is applied by `npm install` (prepare), is idempotent, and fails loudly if the
// installed tslab no longer has the code it expects.
const fs = require("fs");
const path = require("path");

const MARKER = "/* kernel-lib patch: shorthand properties */";
const ANCHOR = `        function wrapPrevIdentifier(node) {
            var _a, _b;
            if (!ts.isIdentifier(node)) {`;
const REPLACEMENT = `        function wrapPrevIdentifier(node) {
            var _a, _b;
            ${MARKER}
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

function patchTslab(root) {
  const file = path.join(root, "node_modules", "tslab", "dist", "converter.js");
  if (!fs.existsSync(file)) throw new Error(`tslab patch: ${file} not found; run npm install first`);
  const text = fs.readFileSync(file, "utf8");
  if (text.includes(MARKER)) return "already patched";
  if (!text.includes(ANCHOR)) {
    throw new Error(`tslab patch: ${file} does not contain the code this patch expects (tslab version changed?); update tools/patches/tslab-shorthand.cjs`);
  }
  fs.writeFileSync(file, text.replace(ANCHOR, REPLACEMENT));
  return "patched";
}

module.exports = { patchTslab, MARKER };

if (require.main === module) {
  const result = patchTslab(path.resolve(__dirname, "..", ".."));
  console.log(`tslab shorthand-property patch: ${result}`);
}
