import { createHash } from "crypto";

/**
 * The checksum of a test cell's source: sha256 over the text with line endings unified and trailing
 * whitespace and blank lines at the end removed, so that an editor's reformatting does not count as an edit.
 */
export function sourceChecksum(source: string): string {
  const normalized = source
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
  return "sha256:" + createHash("sha256").update(normalized, "utf8").digest("hex");
}

export function sha256(text: string): string {
  return "sha256:" + createHash("sha256").update(text, "utf8").digest("hex");
}
