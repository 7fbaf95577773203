/**
 * The headless analysis over small q files: scopes and resolution, each lint
 * rule (firing and not firing), line silencing, completion, hover for every
 * verb the engine implements, navigation and rename, outline and folding.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { BUILTINS } from "../../../server/src/q/analysis/builtins";
import { complete } from "../../../server/src/q/analysis/complete";
import { builtinHover, hover, signatureHelp } from "../../../server/src/q/analysis/hover";
import { type Diagnostic, lint } from "../../../server/src/q/analysis/lint";
import { buildModel, chunkStarts } from "../../../server/src/q/analysis/model";
import { definition, prepareRename, references, rename } from "../../../server/src/q/analysis/navigate";
import { documentSymbols, foldingRanges } from "../../../server/src/q/analysis/outline";
import { ExternalQ, qString } from "../../../server/src/q/analysis/runtime";
import { Workspace } from "../../../server/src/q/analysis/workspace";
import { VERBS } from "../../../server/src/q/verbs/index";
import { ensureBuilt, ROOT } from "../lsp/client";

const U = "file:///w/a.q";

function lintText(text: string, files: Record<string, string> = {}, uri = U): Diagnostic[] {
  const ws = new Workspace();
  for (const [u, t] of Object.entries(files)) ws.update(u, t);
  const entry = ws.update(uri, text);
  return lint({ uri, model: entry.model, workspace: ws });
}

/** `code@text` for each finding, the text being what its span covers. */
function findings(text: string, files: Record<string, string> = {}, uri = U): string[] {
  return lintText(text, files, uri).map((d) => `${d.code}@${text.slice(d.span.start, d.span.end)}`);
}

describe("analysis: scopes", () => {
  it("separates parameters, locals and globals, with no closures", () => {
    const m = buildModel("g:1\nf:{[a] b:a+g; {b}[]}\n");
    assert.deepEqual(
      m.globals.map((d) => d.fullName),
      ["g", "f"],
    );
    const refs = m.references.map((r) => `${r.name}:${r.local ? r.local.kind : "global"}${r.write ? "=" : ""}`);
    // The inner lambda's `b` is not the outer local: q has no closures.
    assert.deepEqual(refs, ["g:global=", "f:global=", "b:local=", "a:param", "g:global", "b:global"]);
  });

  it("qualifies definitions after \\d and resolves short names inside the namespace", () => {
    const ws = new Workspace();
    const text = "\\d .ns\nf:{x}\ng:f 1\n\\d .\nh:.ns.f 2\n";
    ws.update(U, text);
    const at = text.indexOf("f 1");
    assert.deepEqual(
      definition(ws, U, at).map((l) => text.slice(l.span.start, l.span.end)),
      ["f"],
    );
    assert.deepEqual(
      references(ws, U, at).map((l) => l.span.start),
      [text.indexOf("f:"), at, text.indexOf(".ns.f")],
    );
  });

  it("keeps the workspace index current as files change", () => {
    const ws = new Workspace();
    ws.update("file:///w/lib.q", "h:{x}\n");
    assert.ok(ws.isDefined(U, "h"));
    ws.update("file:///w/lib.q", "h:{x+1}\n");
    assert.ok(ws.isDefined(U, "h"));
    ws.update("file:///w/lib.q", "k:{x+1}\n");
    assert.ok(!ws.isDefined(U, "h") && ws.isDefined(U, "k"));
    ws.remove("file:///w/lib.q");
    assert.ok(!ws.isDefined(U, "k"));
  });

  it("treats `name set v` as a definition", () => {
    assert.deepEqual(
      buildModel("`k set 5\n").globals.map((g) => g.fullName),
      ["k"],
    );
  });
});

describe("analysis: lint rules", () => {
  it("undefined-name: flags unknown names, not builtins, locals, columns or .Q members", () => {
    assert.deepEqual(findings("a:count til 3\nb:.Q.n\nc:{[p] p+q1}\nd:select x from ([] x:1 2) where x>1\n"), [
      "undefined-name@q1",
    ]);
  });

  it("undefined-name: sees other workspace files, and a test file sees its sol.q", () => {
    assert.deepEqual(findings("a:helper 1\n", { "file:///w/lib.q": "helper:{x}\n" }), []);
    assert.deepEqual(
      findings("solve 1\n", { "file:///w/p1/sol.q": "solve:{x}\n" }, "file:///w/p1/q_test_case_1.q"),
      [],
    );
    assert.deepEqual(findings("a:helper 1\n"), ["undefined-name@helper"]);
  });

  it("wrong-arg-count: too many arguments to a known lambda; projections are fine", () => {
    assert.deepEqual(findings("f:{[a;b] a+b}\nf[1;2;3]\nf[1]\ng:{x+y}\ng[1;2]\n"), ["wrong-arg-count@f[1;2;3]"]);
  });

  it("unused-param and unused-local", () => {
    assert.deepEqual(findings("f:{[a;b] t:1; u:2; a+u}\n"), ["unused-param@b", "unused-local@t"]);
    assert.deepEqual(findings("f:{x}\ng:{[a] r:a; r,:1; r}\n"), []);
  });

  it("builtin-assign: assignment to a q keyword", () => {
    assert.deepEqual(findings("count:3\nf:{til:2; 1}\n"), [
      "builtin-assign@count",
      "builtin-assign@til",
      "unused-local@til",
    ]);
  });

  it("solve-count: only in test files, not exactly once", () => {
    const sol = { "file:///w/p/sol.q": "solve:{x}\n" };
    assert.deepEqual(findings("solve 1\nsolve 2\n", sol, "file:///w/p/q_test_case_2.q"), ["solve-count@solve"]);
    assert.deepEqual(findings("a:1\n", sol, "file:///w/p/q_test_case_3.q"), ["solve-count@a"]);
    assert.deepEqual(findings("solve 1\nsolve 2\n", sol, "file:///w/p/other.q"), []);
  });

  it("syntax errors come with their spans", () => {
    const d = lintText("a:1\nb:(2;3\n");
    assert.equal(d[0]!.code, "syntax");
    assert.equal(d[0]!.severity, "error");
  });

  it("severity settings change or switch off a rule", () => {
    const ws = new Workspace();
    const model = ws.update(U, "f:{[a] t:1; a}\n").model;
    assert.deepEqual(
      lint({ uri: U, model, workspace: ws }, { "unused-local": "info" }).map((d) => d.severity),
      ["info"],
    );
    assert.deepEqual(lint({ uri: U, model, workspace: ws }, { "unused-local": "off" }), []);
  });

  it("qds-ignore silences a rule on its line or the next one", () => {
    assert.deepEqual(
      findings("a:nope1 / qds-ignore undefined-name\n/ qds-ignore\nb:nope2\nc:nope3 / qds-ignore unused-local\n"),
      ["undefined-name@nope3"],
    );
  });
});

describe("analysis: hover and signatures", () => {
  it("every verb the engine implements has hover text with summary, forms and example", () => {
    assert.ok(VERBS.size > 50);
    for (const [name, verb] of VERBS) {
      const md = builtinHover(name);
      assert.ok(md !== undefined, name);
      assert.ok(verb.doc.summary.trim() !== "" && md.includes(verb.doc.summary), `${name}: summary`);
      assert.ok(
        verb.doc.forms.length > 0 && verb.doc.forms.every((f) => f.trim() !== "" && md.includes(f)),
        `${name}: forms`,
      );
      assert.ok(verb.doc.example.trim() !== "" && md.includes(verb.doc.example), `${name}: example`);
    }
  });

  it("every builtin name has some hover text", () => {
    for (const name of BUILTINS.keys()) assert.ok((builtinHover(name) ?? "").length > name.length, name);
  });

  it("hovers a glyph and a parameter", () => {
    const ws = new Workspace();
    const text = "f:{[n] n#0}\n";
    const m = ws.update(U, text).model;
    assert.match(
      hover(U, m, ws, text.indexOf("#"))!.markdown,
      new RegExp(VERBS.get("#")!.doc.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
    );
    assert.match(hover(U, m, ws, text.indexOf("n#"))!.markdown, /\(parameter\) n/);
  });

  it("signature help counts the active argument, for builtins too", () => {
    const ws = new Workspace();
    const text = "f:{[a;b;c] a}\nf[1;2;\nssr[";
    const m = ws.update(U, text).model;
    const s = signatureHelp(U, text, m, ws, text.indexOf("2;") + 2)!;
    assert.equal(s.signatures[0]!.label, "f[a;b;c]");
    assert.equal(s.activeParameter, 2);
    const b = signatureHelp(U, text, m, ws, text.length)!;
    assert.ok(b.signatures.length > 0 && b.signatures[0]!.label.startsWith("ssr["));
  });
});

describe("analysis: completion", () => {
  it("offers locals from a lambda still being typed (stale model)", () => {
    const ws = new Workspace();
    const old = ws.update(U, "g:1\n").model;
    const text = "g:1\nh:{[first1] acc:0; ";
    const r = complete({ uri: U, text, offset: text.length, model: old, fresh: false, workspace: ws });
    const labels = r.items.map((c) => c.label);
    assert.ok(labels.includes("first1") && labels.includes("acc") && labels.includes("g") && labels.includes("til"));
    const typed = `${text}ac`;
    const r2 = complete({ uri: U, text: typed, offset: typed.length, model: old, fresh: false, workspace: ws });
    assert.equal(r2.from, typed.length - 2);
    assert.ok(r2.items.some((c) => c.label === "acc"));
    assert.ok(!r2.items.some((c) => c.label === "til"), "only candidates sharing the first character");
  });

  it("offers namespace members after a dot", () => {
    const ws = new Workspace();
    ws.update("file:///w/ns.q", ".util.pad:{x}\n.util.deep.f:1\n");
    const text = "a:.util.";
    const r = complete({ uri: U, text, offset: text.length, model: undefined, fresh: false, workspace: ws });
    assert.deepEqual(r.items.map((c) => `${c.label}:${c.kind}`).sort(), ["deep:namespace", "pad:function"]);
  });
});

describe("analysis: rename and outline", () => {
  it("renames a global across files, keeping test files bound to their own sol.q", () => {
    const ws = new Workspace();
    ws.update("file:///w/p1/sol.q", "solve:{x}\n");
    ws.update("file:///w/p1/q_test_case_1.q", "solve 1\n");
    ws.update("file:///w/p2/sol.q", "solve:{x}\n");
    ws.update("file:///w/p2/q_test_case_1.q", "solve 2\n");
    const edits = rename(ws, "file:///w/p1/q_test_case_1.q", 1, "answer");
    assert.ok(Array.isArray(edits));
    assert.deepEqual(edits.map((e) => `${e.uri}:${e.span.start}:${e.newText}`).sort(), [
      "file:///w/p1/q_test_case_1.q:0:answer",
      "file:///w/p1/sol.q:0:answer",
    ]);
  });

  it("refuses invalid names and builtins", () => {
    const ws = new Workspace();
    ws.update(U, "a:til 3\n");
    assert.equal(typeof rename(ws, U, 0, "1bad"), "string");
    assert.equal(typeof rename(ws, U, 0, "count"), "string");
    assert.match(prepareRename(ws, U, 3) as string, /builtin/);
  });

  it("outlines namespaces and folds lambdas, tables and comments", () => {
    const text = "/ a\n/ b\nf:{[x]\n  x}\nt:([]\n  a:1 2)\n.ns.g:1\n";
    const m = buildModel(text);
    assert.deepEqual(
      documentSymbols(m).map((s) => `${s.kind}:${s.name}`),
      ["function:f", "variable:t", "namespace:.ns"],
    );
    assert.deepEqual(
      foldingRanges(m).map((f) => `${f.kind}:${f.startLine}-${f.endLine}`),
      ["comment:0-1", "region:2-3", "region:4-5"],
    );
  });
});

describe("analysis: runtime helpers", () => {
  it("quotes statements as q string literals", () => {
    assert.equal(qString('a:"x\\y"\n\tb'), '"a:\\"x\\\\y\\"\\n\\tb"');
  });
});

describe("analysis: incremental rebuild", () => {
  const BASE = [
    "/ doc",
    "f:{[a;b]",
    "  t:a+b;",
    "  t*2}",
    "\\d .ns",
    "g:{x}",
    "\\d .",
    "/",
    "block comment",
    "\\",
    "h:f[1;2]",
    "s:select x from ([] x:1 2) where x>1",
  ].join("\n");
  const view = (m: ReturnType<typeof buildModel>) =>
    JSON.stringify({ ast: m.ast, errors: m.errors, globals: m.globals, references: m.references, calls: m.calls });

  it("reuses unchanged chunks and matches a fresh build after every edit", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat(4),
            fc.constantFrom("", "x", "1", "\n", "\n  ", "{", "}", ";", "\\d .ns\n", "q:1\n"),
          ),
          {
            maxLength: 8,
          },
        ),
        (edits) => {
          let text = BASE;
          let model = buildModel(text);
          for (const [at, del, ins] of edits) {
            const pos = at % (text.length + 1);
            text = text.slice(0, pos) + ins + text.slice(pos + del);
            model = buildModel(text, model);
            assert.equal(view(model), view(buildModel(text)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("cuts chunks where q starts a statement: not at indented or comment lines", () => {
    const text = "a:1\nf:{\n  b:2;\n/ note\n  b}\n/\nx\n\\\ng:3\n";
    assert.deepEqual(
      chunkStarts(text).map((at) => text.slice(at, text.indexOf("\n", at))),
      ["a:1", "f:{", "/", "g:3"],
    );
  });

  it("keeps the chunk objects of untouched statements", () => {
    const a = buildModel(BASE);
    const b = buildModel(BASE.replace("t*2", "t*3"), a);
    const reused = b.chunks.filter((c) => a.chunks.includes(c)).length;
    assert.equal(reused, b.chunks.length - 1);
  });
});

describe("analysis: external q process", function () {
  this.timeout(60000);
  let dir: string;
  let q: ExternalQ;

  before(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "qds-extq-"));
    const bin = join(dir, "q");
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "dist/cli.js")}" q "$@"\n`);
    chmodSync(bin, 0o755);
    q = new ExternalQ(bin, 3000);
  });
  after(() => {
    q.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports each failing statement at its span", async () => {
    const text = 'a:1\nb:a+`x\nc:"text"\nd:count[1;2]\n';
    const errors = await q.check(buildModel(text));
    assert.deepEqual(
      errors.map((e) => `${e.message}@${text.slice(e.span.start, e.span.end)}`),
      ["'type@b:a+`x", "'rank@d:count[1;2]"],
    );
  });

  it("notices when q dies, then restarts it for the next check", async () => {
    const died = await q.check(buildModel("a:1\nexit 3\n"));
    assert.match(died[0]!.message, /exited/);
    assert.deepEqual(await q.check(buildModel("b:2\n")), []);
  });

  it("kills a check that runs too long", async () => {
    const slow = await q.check(buildModel("while[1;a:1]\n"));
    assert.match(slow[0]!.message, /in time/);
    assert.deepEqual(await q.check(buildModel("b:2\n")), []);
  });
});
