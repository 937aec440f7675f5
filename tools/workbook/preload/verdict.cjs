"use strict";
// The grading kernel's verdict channel (loaded first by harden-grading.cjs). The grader appends to each test
// cell a statement that calls Object.__workbookVerdict__("<nonce>") with a fresh random nonce; this writes the
// nonce to a pipe the grader holds (fd in WORKBOOK_VERDICT_FD, removed from the environment here). The grader
// counts a test as passed only if its nonce arrives AND the kernel's reply says ok, so a kernel made to reply
// "ok" for a failing test earns nothing. The nonce is what cannot be forged: student code never sees the test
// cell's source (see freeze.cjs and the kernel's grading mode), and a guessed value is simply not the nonce.
// Reached through `({}).constructor`, which no cell declaration can shadow (Object.prototype is frozen).
const fs = require("fs");

const writeSync = fs.writeSync; // captured before any other code can replace it
const fd = Number(process.env.WORKBOOK_VERDICT_FD);
delete process.env.WORKBOOK_VERDICT_FD;
const NONCE = /^[0-9a-f]{32}$/;

function __workbookVerdict__(nonce) {
  if (!Number.isInteger(fd) || fd < 0) throw new Error("this kernel has no verdict channel (it was not started by the grader)");
  if (typeof nonce !== "string" || !NONCE.test(nonce)) throw new TypeError("not a verdict nonce");
  writeSync(fd, nonce + "\n");
}

Object.defineProperty(Object, "__workbookVerdict__", { value: Object.freeze(__workbookVerdict__), writable: false, enumerable: false, configurable: false });
