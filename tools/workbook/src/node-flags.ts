import { spawnSync } from "child_process";

/**
 * The single list of Node flags every kernel-lib kernel starts with (the Jupyter kernel spec and the
 * headless runner both use it). Required flags are always passed; optional ones only where the Node
 * that will run the kernel accepts them.
 */
export const REQUIRED_NODE_FLAGS: readonly string[] = ["--max-old-space-size=8192"];

/** Relaxed SIMD is used by kernel-lib's WebAssembly kernels; newer Node versions enable it by default. */
export const OPTIONAL_NODE_FLAGS: readonly string[] = ["--experimental-wasm-relaxed-simd"];

const accepted = new Map<string, boolean>();

/** True when `node FLAG -e 0` succeeds with the given Node binary. */
export function nodeAcceptsFlag(flag: string, nodePath: string = process.execPath): boolean {
  const key = `${nodePath}\0${flag}`;
  let ok = accepted.get(key);
  if (ok === undefined) {
    const r = spawnSync(nodePath, [flag, "-e", "0"], { stdio: "ignore", timeout: 30_000 });
    ok = r.status === 0;
    accepted.set(key, ok);
  }
  return ok;
}

/** The flags to start a kernel with on this Node binary. */
export function kernelNodeFlags(nodePath: string = process.execPath): string[] {
  return [...REQUIRED_NODE_FLAGS, ...OPTIONAL_NODE_FLAGS.filter((f) => nodeAcceptsFlag(f, nodePath))];
}
