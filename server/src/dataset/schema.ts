/**
 * The entry.json schema. The fields every problem needs (id, slug, title,
 * difficulty) are required, each with its own message when missing; the
 * rest are typed when present. Unknown fields are kept (loose object),
 * because real datasets carry pipeline-specific extras that a round trip
 * through this product must not lose. `qds validate`, verification and the
 * explorer all check entries with this one schema.
 */
// A namespace import lets the bundler keep only the parts of zod in use (~0.6 MB less to compile at every start).
import * as z from "zod";

export const DIFFICULTIES = ["Easy", "Medium", "Hard"] as const;

/** What `qds import` records about the files it wrote, so re-import can tell user edits apart. */
export const importRecord = z.looseObject({
  source_sha256: z.string(),
  files: z.record(z.string(), z.string()),
});

/** "missing required field" for an absent key; zod's own message for a present value of the wrong type. */
const missing = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `missing required field (${what})` : undefined;

export const entrySchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().int()], { error: missing("the problem's id, a string or an integer") }),
  slug: z.string({ error: missing("a URL-style name such as two-sum") }).min(1),
  title: z.string({ error: missing("the problem's title") }).min(1),
  difficulty: z.enum(DIFFICULTIES, { error: missing(`one of ${DIFFICULTIES.join(", ")}`) }),
  tags: z.array(z.string()).optional(),
  entry_point: z.string().min(1).optional(),
  source: z.string().optional(),
  question_id: z.number().int().optional(),
  /** "ok", "needs_linked_list", "needs_tree", "python_failed: <reason>", … (set by import). */
  import_status: z.string().optional(),
  import_warnings: z.array(z.string()).optional(),
  /** Test number → absolute tolerance for that test's numbers (HumanEval's `abs(x - y) < t` asserts); the judge's last rule. */
  abs_tolerance: z.record(z.string().regex(/^[1-9]\d*$/, "a test number"), z.number().positive()).optional(),
  qds_import: importRecord.optional(),
});

export type Entry = z.infer<typeof entrySchema>;

/**
 * entry.json's `abs_tolerance` as test number → tolerance, read from a parsed entry: only positive
 * numbers count (`qds validate` reports anything else); what `qds verify` and `qds eval` both judge with.
 */
export function absTolerances(entry: unknown): Record<string, number> {
  const raw =
    entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>)["abs_tolerance"] : undefined;
  if (raw === null || typeof raw !== "object") return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(
      (e): e is [string, number] => typeof e[1] === "number" && e[1] > 0,
    ),
  );
}
export type ImportRecord = z.infer<typeof importRecord>;
export type Difficulty = (typeof DIFFICULTIES)[number];
