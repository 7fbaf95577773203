import type { Plugin } from "esbuild";
export declare const alias: Record<string, string>;
export declare const SDKS_ENTRY: string;
export declare function sdksApart(outfile: string, sdksOut: string): Plugin;
