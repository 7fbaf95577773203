/**
 * The built language server driven by a real JSON-RPC client over stdio: a
 * temporary workspace of q files on disk, opened and edited as an editor
 * would, checking what comes back (diagnostics, completion, hover,
 * navigation, rename, runtime load errors from the embedded engine and from an
 * external `qds q` process).
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CompletionItem, Hover, Location, WorkspaceEdit } from "vscode-languageserver-protocol";
import { VERBS } from "../../../server/src/q/verbs/index";
import { ensureBuilt, fileUri, ROOT, TestClient } from "./client";

const LIB = `/ scale a value
/ by a factor
scale:{[v;k] v*k}
area:{[w;h] w*h}
`;
const MAIN = `r:area[2;3]
t:area[r;4]
`;

describe("language server over JSON-RPC", function () {
  this.timeout(60000);
  let dir: string;
  let client: TestClient;
  const uri = (name: string) => fileUri(join(dir, name));

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "qds-lsp-"));
    writeFileSync(join(dir, "lib.q"), LIB);
    writeFileSync(join(dir, "main.q"), MAIN);
    mkdirSync(join(dir, "node_modules"));
    writeFileSync(join(dir, "node_modules", "skip.q"), "skipped:1\n");
    client = new TestClient();
    client.settings = { diagnostics: { runtime: "off" } };
    await client.start(dir);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a syntax error at its exact range and clears it when fixed", async () => {
    const u = uri("syntax.q");
    client.open(u, "a:1\nb:2*3)\nc:3\n");
    const bad = await client.diagnostics(u, (d) => d.some((x) => x.code === "syntax"));
    const syntax = bad.find((x) => x.code === "syntax")!;
    assert.equal(syntax.severity, 1);
    assert.deepEqual(syntax.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 6 } });
    assert.match(String(syntax.message), /unmatched \)/);
    client.change(u, "a:1\nb:2*3\nc:3\n");
    const good = await client.diagnostics(u, (_d, v) => v === 2);
    assert.deepEqual(good, []);
  });

  it("reports an undefined name, honours qds-ignore and sees workspace globals", async () => {
    const u = uri("lint.q");
    client.open(u, "x1:scale[1;2]\ny1:nosuch+1\nz1:nosuch / qds-ignore undefined-name\n");
    const d = await client.diagnostics(u, (ds) => ds.length > 0);
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]),
      [["undefined-name", 1, 3, 9]],
    );
  });

  it("applies qds.lint.rules severities", async () => {
    client.settings = {
      diagnostics: { runtime: "off" },
      lint: { rules: { "unused-local": "error", "unused-param": "off" } },
    };
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
    const u = uri("rules.q");
    client.open(u, "f:{[a;b] t:1; a}\n");
    const d = await client.diagnostics(u, (ds) => ds.length > 0);
    assert.deepEqual(
      d.map((x) => [x.code, x.severity]),
      [["unused-local", 1]],
    );
    client.settings = { diagnostics: { runtime: "off" } };
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  });

  it("completes a builtin, a parameter, a local and namespace members", async () => {
    const u = uri("complete.q");
    const text = "g:{[alpha] beta:alpha+1; beta+ be}\nh:.Q.\n";
    client.open(u, text);
    const at = (character: number, line = 0): Promise<CompletionItem[]> =>
      client.request("textDocument/completion", { textDocument: { uri: u }, position: { line, character } });
    const labels = (await at(text.indexOf("+ be") + 2)).map((c) => c.label);
    for (const want of ["til", "alpha", "beta", "scale"]) assert.ok(labels.includes(want), `missing ${want}`);
    const typed = (await at(text.indexOf(" be}") + 3)).map((c) => c.label);
    assert.ok(typed.includes("beta") && !typed.includes("til"));
    const members = await at(5, 1);
    assert.ok(members.some((c) => c.label === "fmt"));
    assert.ok(!members.some((c) => c.label === "til"));
  });

  it("hovers til with the verb table's doc, and a user function with its comments", async () => {
    const u = uri("hover.q");
    client.open(u, "a:til 3\nb:scale[1;2]\n");
    const h: Hover = await client.request("textDocument/hover", {
      textDocument: { uri: u },
      position: { line: 0, character: 3 },
    });
    const md = (h.contents as { value: string }).value;
    const doc = VERBS.get("til")!.doc;
    assert.ok(md.includes(doc.summary) && md.includes(doc.example) && md.includes(doc.forms[0]!));
    const user: Hover = await client.request("textDocument/hover", {
      textDocument: { uri: u },
      position: { line: 1, character: 3 },
    });
    const umd = (user.contents as { value: string }).value;
    assert.match(umd, /scale\[v;k\]/);
    assert.match(umd, /scale a value\nby a factor/);
  });

  it("gives signature help for a lambda", async () => {
    const u = uri("sig.q");
    client.open(u, "a:scale[1;\n");
    const s: { signatures: { label: string }[]; activeParameter: number } = await client.request(
      "textDocument/signatureHelp",
      {
        textDocument: { uri: u },
        position: { line: 0, character: 10 },
      },
    );
    assert.equal(s.signatures[0]!.label, "scale[v;k]");
    assert.equal(s.activeParameter, 1);
  });

  it("goes to a definition in another file and finds references across files", async () => {
    const u = uri("main.q");
    client.open(u, MAIN);
    const defs: Location[] = await client.request("textDocument/definition", {
      textDocument: { uri: u },
      position: { line: 0, character: 3 },
    });
    assert.deepEqual(defs, [
      { uri: uri("lib.q"), range: { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } } },
    ]);
    const refs: Location[] = await client.request("textDocument/references", {
      textDocument: { uri: u },
      position: { line: 0, character: 3 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((r) => [r.uri.slice(r.uri.lastIndexOf("/") + 1), r.range.start.line, r.range.start.character]),
      [
        ["lib.q", 3, 0],
        ["main.q", 0, 2],
        ["main.q", 1, 2],
      ],
    );
  });

  it("renames a global in every file, and refuses a builtin", async () => {
    const u = uri("main.q");
    const prep: { placeholder: string } = await client.request("textDocument/prepareRename", {
      textDocument: { uri: u },
      position: { line: 1, character: 3 },
    });
    assert.equal(prep.placeholder, "area");
    const edit: WorkspaceEdit = await client.request("textDocument/rename", {
      textDocument: { uri: u },
      position: { line: 1, character: 3 },
      newName: "mul",
    });
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uri("lib.q"), uri("main.q")]);
    assert.equal(changes[uri("main.q")]!.length, 2);
    assert.ok(
      Object.values(changes)
        .flat()
        .every((e) => e.newText === "mul"),
    );
    const h = uri("hover.q");
    await assert.rejects(
      client.request("textDocument/prepareRename", { textDocument: { uri: h }, position: { line: 0, character: 3 } }),
      /builtin/,
    );
  });

  it("renames a local within its lambda only", async () => {
    const u = uri("local.q");
    client.open(u, "f:{[n] m:n*2; m+n}\ng:{m:1; m}\n");
    const edit: WorkspaceEdit = await client.request("textDocument/rename", {
      textDocument: { uri: u },
      position: { line: 0, character: 8 },
      newName: "twice",
    });
    const lines = edit.changes![u]!.map((e) => [e.range.start.line, e.range.start.character]);
    assert.deepEqual(lines, [
      [0, 7],
      [0, 14],
    ]);
  });

  it("keeps a function whose body has a syntax error in the outline, with its whole statement", async () => {
    const u = uri("broken-outline.q");
    client.open(u, "a:1\nf:{[x] (x+1}\ng:{[y]\n  (y}\nh:{x}\n");
    const syms: { name: string; kind: number; range: { start: { line: number }; end: { line: number } } }[] =
      await client.request("textDocument/documentSymbol", { textDocument: { uri: u } });
    assert.deepEqual(
      syms.map((s) => [s.name, s.kind, s.range.start.line, s.range.end.line]),
      [
        ["a", 13, 0, 0],
        ["f", 12, 1, 1],
        ["g", 12, 2, 3],
        ["h", 12, 4, 4],
      ],
    );
  });

  it("lists document symbols and folding ranges", async () => {
    const u = uri("outline.q");
    client.open(u, "/\nblock\n\\\nf:{[a]\n  a+1}\n\\d .ns\ng:2\n");
    const syms: { name: string; children?: { name: string }[] }[] = await client.request(
      "textDocument/documentSymbol",
      {
        textDocument: { uri: u },
      },
    );
    assert.deepEqual(
      syms.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
      [
        ["f", ["a"]],
        [".ns", ["g"]],
      ],
    );
    const folds: { startLine: number; endLine: number }[] = await client.request("textDocument/foldingRange", {
      textDocument: { uri: u },
    });
    assert.deepEqual(
      folds.map((f) => [f.startLine, f.endLine]),
      [
        [0, 2],
        [3, 4],
      ],
    );
    const ws: { name: string }[] = await client.request("workspace/symbol", { query: "scl" });
    assert.deepEqual(
      ws.map((s) => s.name),
      ["scale"],
    );
    assert.deepEqual(await client.request("workspace/symbol", { query: "skipped" }), []);
  });

  it("reports runtime load errors from the embedded engine on save", async () => {
    client.settings = { diagnostics: { runtime: "onSave" } };
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
    const u = uri("runtime.q");
    client.open(u, "a:1\nb:a+`x\nc:2\n");
    client.save(u);
    const d = await client.diagnostics(u, (ds) => ds.some((x) => x.source === "q"));
    const rt = d.find((x) => x.source === "q")!;
    assert.equal(rt.message, "'type");
    assert.deepEqual([rt.range.start.line, rt.range.end.line], [1, 1]);
  });

  it("loads a test file after its sol.q, which it also sees for lint", async () => {
    mkdirSync(join(dir, "p1"));
    writeFileSync(join(dir, "p1", "sol.q"), "solve:{[n] n+1}\n");
    const u = uri("p1/q_test_case_1.q");
    client.open(u, "r:solve 1\nb:r+`x\n");
    client.save(u);
    const d = await client.diagnostics(u, (ds) => ds.some((x) => x.source === "q"));
    assert.deepEqual(
      d.map((x) => [x.source, x.message, x.range.start.line]),
      [["q", "'type", 1]],
    );
  });

  it("reports runtime errors from an external q (qds q) for every failing statement", async () => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const q = join(bin, "q");
    writeFileSync(q, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "dist/cli.js")}" q "$@"\n`);
    chmodSync(q, 0o755);
    client.settings = { diagnostics: { runtime: "onType" }, q: { path: q } };
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
    const u = uri("external.q");
    client.open(u, 'a:1\nb:a+`x\nf:{[p]\n  p+1}\nf[1;2]\nc:"ok"\n');
    const d = await client.diagnostics(u, (ds) => ds.filter((x) => x.source === "q").length >= 2, 20000);
    const rt = d.filter((x) => x.source === "q").map((x) => [x.message, x.range.start.line]);
    assert.deepEqual(rt, [
      ["'type", 1],
      ["'rank", 4],
    ]);
    client.settings = { diagnostics: { runtime: "off" } };
    await client.conn.sendNotification("workspace/didChangeConfiguration", { settings: {} });
  });
});
