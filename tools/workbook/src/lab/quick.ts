import type { ParameterValue, Parameters } from "../parameters";
import { LabError } from "./format";

/** Checks a metadata.workbook.quick value kept in a lab bundle and returns it as parameters. */
export function quickValues(quick: unknown): Parameters {
  if (quick === undefined || quick === null) return {};
  if (typeof quick !== "object" || Array.isArray(quick)) throw new LabError(`metadata.workbook.quick must be an object of parameter values, got ${JSON.stringify(quick)}`);
  const out: Parameters = {};
  for (const [name, value] of Object.entries(quick as Record<string, unknown>)) out[name] = value as ParameterValue;
  return out;
}
