/** A small argv parser: --name value, --name=value, repeatable options, boolean flags, positionals. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: { options: string[]; flags: string[] }, command: string): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      // everything after -- is positional, even when it starts with --
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("--")) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.flags.includes(name)) {
      if (eq > 0) throw new UsageError(`${command}: --${name} takes no value`);
      out.flags.add(name);
    } else if (spec.options.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${command}: --${name} needs a value`);
      out.options.set(name, [...(out.options.get(name) ?? []), value]);
    } else {
      throw new UsageError(`${command}: unknown option --${name} (see \`workbook ${command} --help\`)`);
    }
  }
  return out;
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function positiveNumber(args: ParsedArgs, name: string, command: string): number | undefined {
  const v = single(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${command}: --${name} must be a number >= 0, got "${v}"`);
  return n;
}
