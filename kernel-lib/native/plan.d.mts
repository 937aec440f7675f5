// Types of plan.mjs (the native build's platform logic), for the tests that import it.
export interface BuildAttempt {
  /** the BLAS this attempt links: "Apple Accelerate", "Homebrew OpenBLAS (/opt/homebrew/opt/openblas)", "OpenBLAS" */
  library: string;
  cc: string;
  args: string[];
  /** what may fix a failed compile, for the one-line message */
  hint: string;
  /** what to do when the compiler itself is missing */
  noCompiler: string;
}
export type BuildPlan = { attempts: BuildAttempt[] } | { skip: string };
export interface PlanInput {
  platform: string;
  env: Record<string, string | undefined>;
  exists: (file: string) => boolean;
  source: string;
  include: string | null;
  out: string;
}
export function nativeBuildPlan(input: PlanInput): BuildPlan;
export function failureReason(attempt: BuildAttempt, result: { error?: { code?: string; message: string }; status: number | null; stderr?: string }): string;
