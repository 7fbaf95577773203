/**
 * Prompt templates: Markdown files in prompts/ with `{{name}}` placeholders.
 *
 * File layout: text above the first marker is documentation for people and is
 * never sent; `<!-- system -->` starts the system prompt and `<!-- user -->`
 * the user message (a file with no markers is all user message). A workspace
 * or dataset overrides any template by placing a file of the same name in
 * `<dir>/.qds/prompts/<name>.md`; the first override directory that has it
 * wins, then the built-in copy.
 *
 * Every template declares which placeholders it may use and which it must
 * use. Loading checks both, so a typo in an override (`{{python_soluton}}`)
 * or a dropped input is an error naming the file and line, not a silently
 * worse prompt. Rendering substitutes in one pass, so values that happen to
 * contain `{{…}}` (q lambdas can) are never expanded again. `{{q_guide}}` is
 * filled from the `q-guide` fragment, itself overridable.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface TemplateSpec {
  required: readonly string[];
  optional: readonly string[];
}

export const TEMPLATES = {
  "convert-solution": { required: ["python_solution"], optional: ["problem_description", "entry_point", "q_guide"] },
  "convert-test": { required: ["python_test"], optional: ["expected", "q_solution", "q_guide"] },
  "fix-solution": {
    required: ["q_solution", "failing_test", "expected", "actual"],
    optional: ["q_error", "problem_description", "python_solution", "q_guide"],
  },
  "fix-test": {
    required: ["python_test", "failing_test", "expected", "actual"],
    optional: ["q_solution", "q_error", "q_guide"],
  },
  "q-guide": { required: [], optional: [] },
  "eval-solve": { required: ["problem", "function_name"], optional: ["q_guide"] },
  /** traces/transform.ts: a think block rewritten as alternating steer/exec sections. */
  "think-rewrite": { required: ["think_text"], optional: [] },
} as const satisfies Record<string, TemplateSpec>;

export type TemplateName = keyof typeof TEMPLATES;

export class PromptError extends Error {
  override readonly name = "PromptError";
}

interface Section {
  text: string;
  /** 1-based line in the file where the section's text starts. */
  line: number;
}

export interface Template {
  name: TemplateName;
  file: string;
  system?: Section;
  user: Section;
  placeholders: ReadonlySet<string>;
}

export interface RenderedPrompt {
  system?: string;
  user: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const MARKER = /^<!--\s*(system|user)\s*-->\s*$/;

/** The built-in prompts/ folder: found by walking up from this module (source tree or dist/). */
export function builtinPromptDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "prompts", "convert-solution.md"))) return join(dir, "prompts");
    if (dirname(dir) === dir) throw new PromptError(`built-in prompts/ folder not found above ${start}`);
  }
}

export function parseTemplate(name: TemplateName, file: string, content: string): Template {
  const lines = content.split(/\r?\n/);
  const sections: Partial<Record<"system" | "user", Section>> = {};
  let current: "system" | "user" | undefined;
  let start = 0;
  const close = (end: number) => {
    if (current !== undefined) sections[current] = { text: lines.slice(start, end).join("\n").trim(), line: start + 1 };
  };
  lines.forEach((l, i) => {
    const m = MARKER.exec(l);
    if (!m) return;
    const which = m[1] as "system" | "user";
    if (sections[which] !== undefined || current === which) {
      throw new PromptError(`${file}:${i + 1}: second <!-- ${which} --> marker`);
    }
    close(i);
    current = which;
    start = i + 1;
  });
  close(lines.length);
  if (current === undefined) sections.user = { text: content.trim(), line: 1 };
  if (sections.user === undefined) throw new PromptError(`${file}:1: no <!-- user --> section`);

  const spec: TemplateSpec = TEMPLATES[name];
  const allowed = new Set([...spec.required, ...spec.optional]);
  const used = new Set<string>();
  for (const section of [sections.system, sections.user]) {
    if (section === undefined) continue;
    section.text.split("\n").forEach((l, i) => {
      for (const m of l.matchAll(PLACEHOLDER)) {
        const p = m[1]!;
        if (!allowed.has(p)) {
          const known = [...allowed].map((a) => `{{${a}}}`).join(", ") || "none";
          throw new PromptError(`${file}:${section.line + i}: unknown placeholder {{${p}}} (known here: ${known})`);
        }
        used.add(p);
      }
    });
  }
  const missing = spec.required.filter((r) => !used.has(r));
  if (missing.length > 0) {
    throw new PromptError(`${file}: missing required placeholder ${missing.map((m) => `{{${m}}}`).join(", ")}`);
  }
  return {
    name,
    file,
    ...(sections.system === undefined ? {} : { system: sections.system }),
    user: sections.user,
    placeholders: used,
  };
}

export class PromptLoader {
  private readonly cache = new Map<TemplateName, Template>();

  /** `overrideRoots`: dataset or workspace folders, most specific first; each may hold .qds/prompts/. */
  constructor(
    private readonly overrideRoots: readonly string[] = [],
    private readonly builtinDir: string = builtinPromptDir(),
  ) {}

  load(name: TemplateName): Template {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const candidates = [
      ...this.overrideRoots.map((r) => join(r, ".qds", "prompts", `${name}.md`)),
      join(this.builtinDir, `${name}.md`),
    ];
    const file = candidates.find((f) => existsSync(f));
    if (file === undefined)
      throw new PromptError(`prompt template '${name}' not found (looked in ${candidates.join(", ")})`);
    const t = parseTemplate(name, file, readFileSync(file, "utf8"));
    this.cache.set(name, t);
    return t;
  }

  /** Renders `name` with `values`; `{{q_guide}}` is supplied from the q-guide fragment unless given. */
  render(name: TemplateName, values: Record<string, string>): RenderedPrompt {
    const t = this.load(name);
    const all = { ...values };
    if (t.placeholders.has("q_guide") && all["q_guide"] === undefined) all["q_guide"] = this.load("q-guide").user.text;
    const fill = (s: Section) =>
      s.text.replace(PLACEHOLDER, (_m, p: string) => {
        const v = all[p];
        if (v === undefined) throw new PromptError(`${t.file}: no value for {{${p}}}`);
        // Files end in newlines; inside a fenced block that would show as a stray blank line.
        return v.trimEnd();
      });
    return { ...(t.system === undefined ? {} : { system: fill(t.system) }), user: fill(t.user) };
  }
}
