import { randomBytes } from "crypto";

/**
 * Authenticated pass/fail (see preload/verdict.cjs): each test cell is sent with this statement appended, with
 * a fresh nonce. It runs only when everything before it in the test ran without throwing, and reports the nonce
 * over the grader's own pipe. A test passes when the kernel's reply is ok AND its nonce arrived; a cell's code
 * cannot produce the record without the nonce, which it never sees (cells cannot read the test cell's source).
 * `({}).constructor` is Object itself whatever the cells declared (no name to shadow; Object.prototype is frozen).
 * After an empty line, so that a traceback quoting the test's last line (with one line of context) does not show it.
 */
export function verdictStatement(nonce: string): string {
  return `\n\n;(({}).constructor as unknown as { __workbookVerdict__(nonce: string): void }).__workbookVerdict__("${nonce}");\n`;
}

/** 128 random bits, as the preload accepts them (32 hex digits). */
export function newNonce(): string {
  return randomBytes(16).toString("hex");
}
