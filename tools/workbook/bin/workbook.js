#!/usr/bin/env node
"use strict";
// Entry point of the `workbook` command; the TypeScript sources live in ../src and are built to ../dist
// by `npm install` (the root package's prepare script) or `npm run build`.
let main;
try {
  main = require("../dist/cli.js").main;
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND") {
    console.error("workbook: not built yet; run `npm run build` in the project root");
    process.exit(2);
  }
  throw e;
}
main(process.argv.slice(2));
