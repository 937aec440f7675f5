// Fixes applied to tslab 1.0.22 by `npm install` (prepare). Each is idempotent (a marker comment shows it was
// applied) and fails loudly if the installed tslab no longer has the code it expects.
//
// 1. Shorthand properties: tslab rewrites a reference to a variable declared in an earlier cell as `exports.NAME`,
//    but misses shorthand properties: with `let lr = 0.1;` in one cell, `new SGD(ps, { lr })` in a later cell
//    fails with "ReferenceError: lr is not defined". The patch rewrites `{ lr }` as `{ lr: exports.lr }`.
// 2. Lost output: tslab sends every Jupyter message with zeromq's `send()` without waiting for the previous one.
//    zeromq 6 accepts one send at a time per socket; after a burst of 512 immediate sends it defers one, and a
//    send issued meanwhile throws EBUSY, so the message is dropped (a cell printing 3000 lines delivered 394).
//    The patch queues the sends of each socket, in order.
// 3. A PUB socket also drops messages beyond 1000 queued per subscriber: the iopub queue is made unlimited.
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

const SEND_MARKER = "/* kernel-lib patch: queued sends */";
const SEND_ANCHOR = `        heads.push(hash.digest("hex"));
        sock.send(heads.concat(bodies));`;
// zeromq sockets are not extensible, so each socket's queue lives in a WeakMap.
// Sends at once when nothing is pending on the socket (so a shutdown_reply still leaves before tslab closes its
// sockets), else after the previous send settled. Failures go to the kernel's own stderr file descriptor: tslab
// redirects process.stderr to iopub during a cell, which would loop.
const SEND_REPLACEMENT = [
  '        heads.push(hash.digest("hex"));',
  "        " + SEND_MARKER,
  "        const frames = heads.concat(bodies);",
  "        const report = (e) => {",
  "            if (!sock.closed) require(\"fs\").writeSync(2, \"tslab: a Jupyter message could not be sent: \" + (e && e.message) + \"\\n\");",
  "        };",
  "        const queues = globalThis.__kernelLibSendQueues || (globalThis.__kernelLibSendQueues = new WeakMap());",
  "        const queue = queues.get(sock) || { pending: 0, tail: Promise.resolve() };",
  "        queues.set(sock, queue);",
  "        const sent = queue.pending > 0 ? queue.tail.then(() => sock.send(frames)) : sock.send(frames);",
  "        queue.pending++;",
  "        queue.tail = sent.then(() => undefined, report).then(() => {",
  "            queue.pending--;",
  "        });",
].join("\n");

// 3. Lost output, continued: a PUB socket drops messages once 1000 are queued for a subscriber (zeromq's default
//    high-water mark), which a cell printing in a loop reaches at once. The patch lifts the limit on iopub.
const HWM_MARKER = "/* kernel-lib patch: unlimited iopub queue */";
const HWM_ANCHOR = "        this.iopub = new zmq.Publisher();";
const HWM_REPLACEMENT = "        this.iopub = new zmq.Publisher({ sendHighWaterMark: 0 }); " + HWM_MARKER;

const PATCHES = [
  { name: "shorthand properties", file: ["dist", "converter.js"], marker: SHORTHAND_MARKER, anchor: SHORTHAND_ANCHOR, replacement: SHORTHAND_REPLACEMENT },
  { name: "queued sends", file: ["dist", "jupyter.js"], marker: SEND_MARKER, anchor: SEND_ANCHOR, replacement: SEND_REPLACEMENT },
  { name: "unlimited iopub queue", file: ["dist", "jupyter.js"], marker: HWM_MARKER, anchor: HWM_ANCHOR, replacement: HWM_REPLACEMENT },
];

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

module.exports = { patchTslab };

if (require.main === module) {
  const results = patchTslab(path.resolve(__dirname, "..", ".."));
  for (const [name, result] of Object.entries(results)) console.log(`tslab patch (${name}): ${result}`);
}
