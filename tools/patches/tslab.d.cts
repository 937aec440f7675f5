export declare function patchTslab(root: string): Record<"shorthand properties" | "queued sends" | "unlimited iopub queue", "patched" | "already patched">;
