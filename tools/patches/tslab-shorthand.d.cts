export declare const MARKER: string;
export declare function patchTslab(root: string): "patched" | "already patched";
