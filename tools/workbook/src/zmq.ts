import * as path from "path";
import type * as Zmq from "zeromq";
import { PROJECT_ROOT } from "./paths";

export type ZmqModule = typeof Zmq;

let loaded: ZmqModule | undefined;

/**
 * The zeromq binding tslab itself uses (tslab depends on zeromq 6, which ships prebuilt binaries, so it
 * loads although npm 11 runs no install scripts of dependencies).
 */
export function zmq(): ZmqModule {
  if (!loaded) {
    const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [PROJECT_ROOT] }));
    const entry = require.resolve("zeromq", { paths: [tslabDir, PROJECT_ROOT] });
    try {
      loaded = require(entry) as ZmqModule;
    } catch (e) {
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      throw new Error(`workbook: cannot load zeromq (${entry}): ${why}`);
    }
  }
  return loaded;
}
