/**
 * The entry.json schema. Known fields are typed; unknown fields are kept
 * (loose object), because real datasets carry pipeline-specific extras that
 * a round trip through this product must not lose.
 */
import { z } from "zod";

export const DIFFICULTIES = ["Easy", "Medium", "Hard"] as const;

/** What `qds import` records about the files it wrote, so re-import can tell user edits apart. */
export const importRecord = z.looseObject({
  source_sha256: z.string(),
  files: z.record(z.string(), z.string()),
});

export const entrySchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().int()]).optional(),
  slug: z.string().min(1).optional(),
  title: z.string().optional(),
  difficulty: z.enum(DIFFICULTIES).optional(),
  tags: z.array(z.string()).optional(),
  entry_point: z.string().min(1).optional(),
  source: z.string().optional(),
  question_id: z.number().int().optional(),
  /** "ok", "needs_linked_list", "needs_tree", "python_failed: <reason>", … (set by import). */
  import_status: z.string().optional(),
  import_warnings: z.array(z.string()).optional(),
  qds_import: importRecord.optional(),
});

export type Entry = z.infer<typeof entrySchema>;
export type Difficulty = (typeof DIFFICULTIES)[number];
