// Installs the benchmark's peers (TensorFlow.js; bench/package.json and its lockfile) into bench/node_modules, once.
// They are kept out of the course's own install (the root package.json): only `npm run bench` needs them.
// `node bench/setup.mjs` (or `npm run bench:setup`) installs them; bench/run.mjs calls ensureBenchPeers() first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const PEERS = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"];

export function benchPeersInstalled() {
  return PEERS.every((name) => existsSync(join(here, "node_modules", ...name.split("/"), "package.json")));
}

/** The npm command line: npm's own CLI script when run under npm (works on every platform), else `npm` itself. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return { cmd: process.execPath, pre: [cli], shell: false };
  return { cmd: process.platform === "win32" ? "npm.cmd" : "npm", pre: [], shell: process.platform === "win32" };
}

export function ensureBenchPeers() {
  if (benchPeersInstalled()) return;
  console.error("bench: installing the benchmark's peers (TensorFlow.js, about 300 MB) into bench/node_modules ...");
  const { cmd, pre, shell } = npmCommand();
  const r = spawnSync(cmd, [...pre, "ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit", shell });
  if (r.status !== 0 || !benchPeersInstalled()) {
    throw new Error(`bench: \`npm ci\` in ${here} failed (${r.error ? r.error.message : `exit ${r.status}`}); run it there by hand to see why`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureBenchPeers();
