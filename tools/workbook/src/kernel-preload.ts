// Preloaded into every kernel-lib kernel (node --require, see kernelArgv): notebooks in any folder import the
// project's kernel-lib, values and types (kernel-resolve.ts explains how).
import { installProjectResolver } from "./kernel-resolve";
import { PROJECT_ROOT } from "./paths";

installProjectResolver(PROJECT_ROOT);
