/**
 * The text verbs: JSON both ways (`.j.j`, `.j.k`), `.Q.s1`, `.Q.f` on lists. Expected texts
 * are the transcripts of docs/ref/dotj.md and dotq.md.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_DISPLAY, formatConsole } from "../../../server/src/q/format";
import {
  createRandom,
  dict,
  type EvalContext,
  floats,
  list,
  longs,
  str,
  syms,
  table,
  textOf,
  type Value,
} from "../../../server/src/q/values";
import { fromJson, TEXT_VERBS, toJson } from "../../../server/src/q/verbs/text";

const show = (v: Value): string => formatConsole(v, DEFAULT_DISPLAY);
const ctx: EvalContext = {
  apply: () => {
    throw new Error("not used");
  },
  print: () => undefined,
  settings: DEFAULT_DISPLAY,
  tick: () => undefined,
  random: createRandom(),
};
const verb = (name: string) => {
  const v = TEXT_VERBS.find((d) => d.name === name);
  assert.ok(v, name);
  return v;
};

describe("text: JSON", () => {
  it(".j.j -0w 0 1 2 3 0w", () => {
    assert.equal(
      toJson(floats([Number.NEGATIVE_INFINITY, 0, 1, 2, 3, Number.POSITIVE_INFINITY])),
      "[-inf,0,1,2,3,inf]",
    );
  });
  it('round-trips a dictionary (.j.k 0N!.j.j `a`b!(0 1;("hello";"world")))', () => {
    const d = dict(syms(["a", "b"]), list([longs([0, 1]), list([str("hello"), str("world")])]));
    const json = toJson(d);
    assert.equal(json, '{"a":[0,1],"b":["hello","world"]}');
    assert.equal(show(fromJson(json)), 'a| 0       1\nb| "hello" "world"');
  });
  it("round-trips a table (.j.k 0N!.j.j ([]a:1 2;b:`Greetings`Earthlings))", () => {
    const t = table(["a", "b"], [longs([1, 2]), syms(["Greetings", "Earthlings"])]);
    const json = toJson(t);
    assert.equal(json, '[{"a":1,"b":"Greetings"},{"a":2,"b":"Earthlings"}]');
    assert.equal(show(fromJson(json)), 'a b\n--------------\n1 "Greetings"\n2 "Earthlings"');
  });
  it("parses numbers as floats and rejects malformed text", () => {
    assert.equal(show(fromJson("[1,2]")), "1 2f");
    assert.throws(() => fromJson("[1,"), /parse/);
  });
});

describe("text: verb records", () => {
  it(".Q.s1 gives the one-line form", () => {
    const r = verb(".Q.s1").monadic?.(dict(syms(["a", "b"]), longs([1, 2])), ctx) as Value;
    assert.equal(textOf(r), "`a`b!1 2");
  });
  it(".Q.f[2;] each 9.996 34.3445 gives strings", () => {
    const r = verb(".Q.f").dyadic?.({ kind: "atom", type: 7, v: 2 }, floats([9.996, 34.3445]), ctx) as Value;
    assert.equal(show(r), '"10.00"\n"34.34"');
  });
  it("every text verb has documentation", () => {
    for (const v of TEXT_VERBS) {
      assert.ok(v.doc.summary && v.doc.forms.length && v.doc.example, v.name);
    }
  });
});
