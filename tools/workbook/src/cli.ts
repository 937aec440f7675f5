import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./args";
import { OutputError } from "./files";
import { KERNEL_USAGE, kernelCommand } from "./commands/kernel";
import { LAB_USAGE, labCommand } from "./commands/lab";
import { RUN_USAGE, runCommand } from "./commands/run";
import { START_USAGE, startCommand } from "./commands/start";
import { NotebookError } from "./notebook-io";
import { PROJECT_ROOT } from "./paths";

/** Subcommands of `workbook`; each returns its exit code. Later tools (labs) register theirs here. */
export const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  run: { usage: RUN_USAGE, run: runCommand },
  kernel: { usage: KERNEL_USAGE, run: kernelCommand },
  start: { usage: START_USAGE, run: startCommand },
  lab: { usage: LAB_USAGE, run: labCommand },
};

export function usage(): string {
  return [
    "workbook: run and manage the kernel-lib TypeScript notebooks",
    "",
    ...Object.values(COMMANDS).map((c) => c.usage + "\n"),
    "workbook help [COMMAND] | workbook COMMAND --help | workbook --version",
    "",
    ENVIRONMENT_HELP,
  ].join("\n");
}

/** The environment variables a student may need, shown by `workbook help`. */
const ENVIRONMENT_HELP = `Environment:
  WORKBOOK_JUPYTER  the Jupyter command to use (a path, or a command line such as "py -m jupyter"),
                    when the one found by searching PATH, python -m jupyter and conda/venv folders is not wanted.
  JUPYTER_DATA_DIR  where the kernel spec goes (else where \`jupyter --data-dir\` points).`;

/** The version of this workbook (the root package.json's). */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: string };
  return `workbook ${pkg.version ?? "unknown"} (Node ${process.version})`;
}

/** `--help`/`-h` anywhere before a `--` separator asks for the command's help instead of running it. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(version());
    process.exitCode = 0;
    return;
  }
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) {
      console.log(COMMANDS[topic].usage);
      process.exitCode = 0;
      return;
    }
    console.log(usage());
    process.exitCode = name ? 0 : 2;
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`workbook: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(", ")}, help)`);
    process.exitCode = 2;
    return;
  }
  if (asksForHelp(rest)) {
    console.log(command.usage);
    process.exitCode = 0;
    return;
  }
  try {
    process.exitCode = await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof NotebookError || e instanceof OutputError) {
      console.error(e instanceof UsageError ? `workbook ${e.message}` : `workbook: ${e.message}`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
      return;
    }
    throw e;
  }
}
