/** Applies every patch to ROOT/node_modules/tslab; returns "patched" or "already patched" for each, by name. */
export function patchTslab(root: string): Record<string, "patched" | "already patched">;
/** Throws, naming what is missing, when tslab's code no longer has what kernel-lib's kernel relies on; else "ok". */
export function checkTslabContract(root: string): "ok";
