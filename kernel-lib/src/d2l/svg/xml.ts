/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** A pixel coordinate with at most two decimals, clamped so stray points never produce huge numbers. */
export function num(v: number): string {
  const clamped = Math.max(-1e5, Math.min(1e5, v));
  return String(Math.round(clamped * 100) / 100);
}
