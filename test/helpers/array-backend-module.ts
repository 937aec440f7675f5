// Builds the test-only array backend (helpers/array-backend.ts) as a CommonJS module on the BUILT library
// (kernel-lib/dist), for KERNEL_LIB_BACKEND_MODULE: a notebook kernel then registers it in place of the CPU
// backend. With ARRAY_BACKEND_REPORT_DIR set, each process that loaded it writes its allocation counts there at
// exit, so a test can tell that the notebooks really ran on it.
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

export function buildArrayBackendModule(outDir: string): string {
  const source = fs.readFileSync(path.join(__dirname, "array-backend.ts"), "utf8");
  const dist = path.join(ROOT, "kernel-lib", "dist").split(path.sep).join("/");
  const onDist = source.replace(/from "\.\.\/\.\.\/kernel-lib\/src\//g, `from "${dist}/`);
  if (onDist === source) throw new Error("array-backend.ts: no kernel-lib/src imports to redirect (did its imports move?)");
  const footer = `
export const backend = arrayBackend;
const reportDir = process.env.ARRAY_BACKEND_REPORT_DIR;
if (reportDir) {
  process.on("exit", () => {
    require("fs").writeFileSync(require("path").join(reportDir, process.pid + ".json"), JSON.stringify(arrayMemory));
  });
}
`;
  const js = ts.transpileModule(onDist + footer, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, "array-backend.cjs");
  fs.writeFileSync(file, js);
  return file;
}
