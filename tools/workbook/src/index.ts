// The runner as a library (used by the `workbook` CLI and by later tools such as labs grading).
export { Kernel, liveKernels, errorSummary } from "./kernel";
export type { KernelOptions, ExecuteOptions, ExecuteResult, ExecuteStatus } from "./kernel";
export { executeNotebook } from "./execute";
export type { ExecuteNotebookOptions, NotebookRun, CellRun, CellEvent, CellStatus, NotebookStatus, NotebookFailure } from "./execute";
export { runNotebookFiles, summaryTable } from "./run-files";
export type { RunFilesOptions, FileResult, FileStatus } from "./run-files";
export { readNotebook, parseNotebook, writeNotebook, serializeNotebook, NotebookError } from "./notebook-io";
export * from "./notebook-types";
export { OutputCollector } from "./outputs";
export { injectParameters, quickParameters, notebookParameters, declaredParameters, parseAssignment, PARAMETERS_TAG, INJECTED_TAG } from "./parameters";
export type { Parameters, ParameterValue, Declaration } from "./parameters";
export { buildKernelSpec, installKernelSpec, uninstallKernelSpec, jupyterDataDir, kernelSpecDir, kernelArgv, KERNEL_NAME, KERNEL_DISPLAY_NAME } from "./kernelspec";
export { kernelNodeFlags, REQUIRED_NODE_FLAGS, OPTIONAL_NODE_FLAGS } from "./node-flags";
export * from "./lab";
