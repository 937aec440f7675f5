"use strict";
// Loaded with `node --require` into a grading kernel before tslab and any student code (lab/harden.ts), in
// this order: the verdict channel (it hangs its reporter on Object before Object is frozen), the process
// guards, then the freezing. The kernel itself sees the marker below and switches on its grading mode
// (kernel/grading.ts: restricted `require`, strict cells, kernel-lib frozen).
require("./verdict.cjs");
require("./guard-process.cjs");
require("./freeze.cjs");

const { allowedBuiltin } = require("./grading-modules.cjs");
Object.defineProperty(globalThis, Symbol.for("workbook.grading"), {
  value: Object.freeze({ allowedBuiltin }),
  writable: false,
  enumerable: false,
  configurable: false,
});
