import { installNotebookProgress } from "./display/progress";

export * as torch from "./torch";
export * as d2l from "./d2l/index";

// Inside a tslab kernel, dataset downloads show a live progress display instead of stderr lines; in plain
// Node and tests this does nothing.
installNotebookProgress();
