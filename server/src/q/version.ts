/**
 * Identifies the embedded engine in diagnostics, verification caches and the
 * status bar. The verification cache must never report a pass the current
 * engine would not give, and people forget to bump version numbers, so the
 * cache key also carries a hash of the engine's own source: the build
 * script injects it (`__QDS_ENGINE_HASH__`), and when running from source
 * (tests, tsx) it is computed from the files beside this one.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const ENGINE_NAME = "qds-embedded";
/** The release version shown to people. */
export const ENGINE_VERSION = "0.1.0";

declare const __QDS_ENGINE_HASH__: string | undefined;

/** sha256 (first 12 hex digits) of every .ts file under `dir`, in sorted path order. */
export function hashEngineSource(dir: string): string {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts")) files.push(p);
    }
  };
  walk(dir);
  const h = createHash("sha256");
  for (const f of files) h.update(f.slice(dir.length)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex").slice(0, 12);
}

let fingerprint: string | undefined;

/** Version plus source hash: part of every verification-cache key. */
export function engineFingerprint(): string {
  if (fingerprint === undefined) {
    const hash = typeof __QDS_ENGINE_HASH__ === "string" ? __QDS_ENGINE_HASH__ : hashEngineSource(__dirname);
    fingerprint = `${ENGINE_VERSION}+${hash}`;
  }
  return fingerprint;
}
