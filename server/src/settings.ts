/**
 * Every `qds.*` setting, typed and validated in one place (zod), for the
 * extension client and the language server alike. package.json's
 * contributes.configuration declares the same settings for the Settings UI;
 * a unit test keeps the two in step (names, types, defaults).
 *
 * A value of the wrong type or out of range never reaches the code: that one
 * setting falls back to its default and the problem is reported (the client
 * logs it), so one bad entry in settings.json does not disable the rest.
 *
 * Trust: `qds.q.path` names a program the product runs on the workspace's
 * files. It is machine-scoped (a workspace cannot set it) and restricted in
 * untrusted workspaces; `effectiveQPath` refuses it there as well, so the
 * sandboxed embedded engine is the only q an untrusted workspace gets.
 */
// A namespace import lets the bundler keep only the parts of zod in use (~0.6 MB less to compile at every start).
import * as z from "zod";
import { LlmSettingsSchema } from "./llm/settings";

const severity = z.enum(["off", "hint", "info", "warning", "error"]);

export const SettingsSchema = z.object({
  trace: z.object({ server: z.enum(["off", "messages", "verbose"]).default("off") }).prefault({}),
  llm: LlmSettingsSchema.extend({
    // The editor's "empty: the provider's default"; the CLI leaves it unset instead.
    baseUrl: z.union([z.literal(""), z.string().url()]).default(""),
  }).prefault({}),
  datasets: z.array(z.string()).default([]),
  codeLens: z.object({ enabled: z.boolean().default(true) }).prefault({}),
  q: z.object({ path: z.string().default("") }).prefault({}),
  lint: z.object({ rules: z.record(z.string(), severity).default({}) }).prefault({}),
  diagnostics: z
    .object({
      runtime: z.enum(["off", "onSave", "onType"]).default("onSave"),
      debounceMs: z.number().min(0).default(150),
    })
    .prefault({}),
  bootstrap: z
    .object({
      runsFolder: z.string().min(1).default("bootstrap_runs"),
      // ssh reads this file, and ssh config can run commands (ProxyCommand): machine-scoped.
      sshConfigFile: z.string().default(""),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;

/** Settings that only take effect after the language server restarts. */
export const RESTART_REQUIRED: readonly string[] = ["qds.trace.server"];

/** Settings that name a program to run: machine-scoped, ignored in untrusted workspaces. */
export const PROGRAM_SETTINGS: readonly string[] = ["qds.q.path", "qds.bootstrap.sshConfigFile"];

/** Every setting at its default. */
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/**
 * Parses the `qds` section as the editor returns it (nested objects). Each
 * invalid value is dropped, so its default applies, and reported as
 * "qds.<path>: <message> (using the default)".
 */
export function parseSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const input = structuredClone(typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  // Each round removes the offending values; the schema is small, so a few rounds suffice.
  for (let round = 0; round < 50; round++) {
    const r = SettingsSchema.safeParse(input);
    if (r.success) return { settings: r.data, problems };
    for (const issue of r.error.issues) {
      problems.push(`qds.${issue.path.join(".")}: ${issue.message} (using the default)`);
      drop(input, issue.path);
    }
  }
  return { settings: DEFAULT_SETTINGS, problems };
}

/** Deletes the value at `path`, or the nearest existing parent's entry. */
function drop(obj: Record<string, unknown>, path: readonly PropertyKey[]): void {
  let node: unknown = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = (node as Record<PropertyKey, unknown>)[path[i]!];
    if (typeof next !== "object" || next === null) {
      delete (node as Record<PropertyKey, unknown>)[path[i]!];
      return;
    }
    node = next;
  }
  if (path.length === 0) {
    for (const k of Object.keys(obj)) delete obj[k];
    return;
  }
  delete (node as Record<PropertyKey, unknown>)[path[path.length - 1]!];
}

/** The external q to run, or "" for the embedded engine: never a program in an untrusted workspace. */
export function effectiveQPath(settings: Settings, trusted: boolean): string {
  return trusted ? settings.q.path.trim() : "";
}
