/** Node's require when there is one (CommonJS build, vitest, tslab), undefined in a browser bundle. */
export function nodeRequire(): NodeRequire | undefined {
  return typeof require === "function" ? require : undefined;
}
