import { UsageError } from "./args";
import { OutputError } from "./files";
import { KERNEL_USAGE, kernelCommand } from "./commands/kernel";
import { LAB_USAGE, labCommand } from "./commands/lab";
import { RUN_USAGE, runCommand } from "./commands/run";
import { START_USAGE, startCommand } from "./commands/start";
import { NotebookError } from "./notebook-io";

/** Subcommands of `workbook`; each returns its exit code. Later tools (labs) register theirs here. */
export const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  run: { usage: RUN_USAGE, run: runCommand },
  kernel: { usage: KERNEL_USAGE, run: kernelCommand },
  start: { usage: START_USAGE, run: startCommand },
  lab: { usage: LAB_USAGE, run: labCommand },
};

export function usage(): string {
  return ["workbook: run and manage the kernel-lib TypeScript notebooks", "", ...Object.values(COMMANDS).map((c) => c.usage + "\n"), "workbook help"].join("\n");
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
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
