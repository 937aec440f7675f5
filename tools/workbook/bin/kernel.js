#!/usr/bin/env node
"use strict";
// kernel-lib's Jupyter kernel (the kernel spec starts this): node kernel.js --config-path CONNECTION_FILE.
// The TypeScript sources are tools/workbook/src/kernel/; docs/kernel.md describes the design.
let main;
try {
  main = require("../dist/kernel/main.js").main;
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND") {
    console.error("kernel-lib kernel: not built yet; run `npm run build` in the project root");
    process.exit(2);
  }
  throw e;
}
main(process.argv.slice(2));
