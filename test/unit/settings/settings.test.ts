/**
 * The one settings module (server/src/settings.ts): it agrees with
 * package.json (names, types, defaults, enums), turns bad values into one
 * message each while keeping the rest, and keeps programs out of untrusted
 * workspaces, both in the manifest (machine scope, restricted configuration)
 * and in the built language server, which must not start `qds.q.path` when
 * the client says the workspace is untrusted.
 */
import { strict as assert } from "node:assert";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  DEFAULT_SETTINGS,
  effectiveQPath,
  PROGRAM_SETTINGS,
  parseSettings,
  SettingsSchema,
} from "../../../server/src/settings";
import { ensureBuilt, fileUri, TestClient } from "../lsp/client";

const ROOT = resolve(__dirname, "../../..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const declared: Record<string, { type: string; default: unknown; enum?: string[]; scope?: string }> =
  manifest.contributes.configuration.properties;

/** Leaf values of the defaults, keyed like package.json (`qds.a.b`); records and arrays are leaves. */
function leaves(obj: Record<string, unknown>, prefix = "qds"): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}.${k}`;
    const isGroup = typeof v === "object" && v !== null && !Array.isArray(v) && `${key}` !== "qds.lint.rules";
    if (isGroup) for (const [kk, vv] of leaves(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

describe("settings module", () => {
  it("declares exactly the settings package.json contributes, with the same defaults", () => {
    const defaults = leaves(DEFAULT_SETTINGS as unknown as Record<string, unknown>);
    assert.deepEqual([...defaults.keys()].sort(), Object.keys(declared).sort());
    for (const [key, value] of defaults) assert.deepEqual(value, declared[key]!.default, key);
  });

  it("accepts exactly package.json's enum values", () => {
    for (const [key, d] of Object.entries(declared)) {
      if (d.enum === undefined) continue;
      for (const v of d.enum) {
        const path = key.split(".").slice(1);
        const raw: Record<string, unknown> = {};
        let node = raw;
        for (const p of path.slice(0, -1)) node = node[p] = {} as Record<string, unknown>;
        node[path.at(-1)!] = v;
        assert.deepEqual(parseSettings(raw).problems, [], `${key} = ${v}`);
        node[path.at(-1)!] = `${v}-not-an-option`;
        assert.equal(parseSettings(raw).problems.length, 1, `${key} rejects a value outside its enum`);
      }
    }
  });

  it("reports each bad value once, naming the setting, and keeps the good ones", () => {
    const { settings, problems } = parseSettings({
      llm: { temperature: 9, model: "claude-x", maxTokens: "lots" },
      q: { path: 42 },
      lint: { rules: { "unused-local": "loud", "undefined-name": "off" } },
      diagnostics: "often",
      datasets: ["a", "b"],
    });
    assert.deepEqual(problems.map((p) => p.split(":")[0]).sort(), [
      "qds.diagnostics",
      "qds.lint.rules.unused-local",
      "qds.llm.maxTokens",
      "qds.llm.temperature",
      "qds.q.path",
    ]);
    assert.ok(problems.every((p) => p.endsWith("(using the default)")));
    assert.equal(settings.llm.temperature, DEFAULT_SETTINGS.llm.temperature);
    assert.equal(settings.llm.model, "claude-x");
    assert.deepEqual(settings.lint.rules, { "undefined-name": "off" });
    assert.deepEqual(settings.diagnostics, DEFAULT_SETTINGS.diagnostics);
    assert.deepEqual(settings.datasets, ["a", "b"]);
    assert.equal(SettingsSchema.safeParse(settings).success, true);
  });

  it("treats anything but an object as no settings", () => {
    for (const raw of [null, undefined, 3, "qds"]) assert.deepEqual(parseSettings(raw).settings, DEFAULT_SETTINGS);
  });

  it("machine-scopes and restricts every setting that names a program; the manifest declares limited trust", () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, "limited");
    assert.ok(PROGRAM_SETTINGS.length > 0);
    for (const key of PROGRAM_SETTINGS) {
      assert.equal(declared[key]?.scope, "machine", key);
      assert.ok(trust.restrictedConfigurations.includes(key), key);
    }
    // The base URL decides where API keys are sent: a workspace must not redirect them.
    assert.ok(trust.restrictedConfigurations.includes("qds.llm.baseUrl"));
    // No setting holds a key.
    assert.deepEqual(
      Object.keys(declared).filter((k) => /key|secret|token$/i.test(k) && k !== "qds.llm.maxTokens"),
      [],
    );
  });

  it("refuses the external q in an untrusted workspace", () => {
    const s = parseSettings({ q: { path: "/opt/q/l64/q" } }).settings;
    assert.equal(effectiveQPath(s, true), "/opt/q/l64/q");
    assert.equal(effectiveQPath(s, false), "");
  });
});

describe("settings in the language server", function () {
  this.timeout(60_000);
  let dir: string;
  const marker = () => join(dir, "q-was-started");

  before(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "qds-settings-"));
    // A "q" that leaves a trace when started, then fails: enough to tell whether it ran.
    writeFileSync(join(dir, "q"), `#!/bin/sh\ntouch "${marker()}"\nexit 1\n`);
    chmodSync(join(dir, "q"), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runtimeDiagnostics = async (initializationOptions: unknown) => {
    const client = new TestClient();
    try {
      client.settings = { diagnostics: { runtime: "onType", debounceMs: "soon" }, q: { path: join(dir, "q") } };
      await client.start(dir, initializationOptions);
      const u = fileUri(join(dir, "t.q"));
      client.open(u, "a:1\nb:a+`x\n");
      const d = await client.diagnostics(u, (ds) => ds.some((x) => x.source === "q"), 20_000);
      return { d: d.filter((x) => x.source === "q").map((x) => x.message), logs: client.logs };
    } finally {
      await client.stop();
    }
  };

  it("untrusted: runtime diagnostics come from the embedded engine and qds.q.path never starts", async () => {
    const { d, logs } = await runtimeDiagnostics({ trusted: false });
    assert.deepEqual(d, ["'type"]);
    assert.equal(existsSync(marker()), false, "the external q was started in an untrusted workspace");
    assert.ok(
      logs.some((l) => /settings: qds\.diagnostics\.debounceMs: .*\(using the default\)/.test(l)),
      logs.join("\n"),
    );
  });

  it("trusted: the same settings start qds.q.path", async () => {
    await runtimeDiagnostics({ trusted: true });
    assert.equal(existsSync(marker()), true);
  });
});
