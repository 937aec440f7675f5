import type { Notebook } from "../notebook-types";
import type { ParameterValue, Parameters } from "../parameters";
import { LabError } from "./format";

/** The quick-mode parameter values a notebook declares in metadata.workbook.quick (NOTEBOOKS.md); {} if none. */
export function quickParameters(nb: Notebook | { metadata: Record<string, unknown> }): Parameters {
  const workbook = nb.metadata.workbook;
  if (workbook === undefined) return {};
  const quick = workbook && typeof workbook === "object" ? (workbook as Record<string, unknown>).quick : undefined;
  return quickValues(quick);
}

/** Checks a metadata.workbook.quick value (also kept in a bundle) and returns it as parameters. */
export function quickValues(quick: unknown): Parameters {
  if (quick === undefined || quick === null) return {};
  if (typeof quick !== "object" || Array.isArray(quick)) throw new LabError(`metadata.workbook.quick must be an object of parameter values, got ${JSON.stringify(quick)}`);
  const out: Parameters = {};
  for (const [name, value] of Object.entries(quick as Record<string, unknown>)) out[name] = value as ParameterValue;
  return out;
}
