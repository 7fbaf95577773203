/**
 * Console display, compact form and `string`, on values built with the values.ts
 * constructors. Every expected text is a display shown in the q reference (the conformance
 * transcripts under shared/q-conformance, cited by expression) or long-established q
 * console behaviour (type suffixes, singletons, empty vectors).
 */
import { strict as assert } from "node:assert";
import {
  compactText,
  DEFAULT_DISPLAY,
  formatConsole,
  formatFloat,
  qDotF,
  qDotFmt,
  qDotS,
  qString,
} from "../../../server/src/q/format";
import { parseTemporalLiteral } from "../../../server/src/q/temporal";
import {
  atom,
  bools,
  char,
  dict,
  emptyVector,
  float,
  floats,
  IDENTITY,
  int,
  LONG_INF,
  LONG_NULL,
  list,
  long,
  longs,
  rawList,
  str,
  sym,
  syms,
  table,
  textOf,
  type Value,
  vectorOf,
} from "../../../server/src/q/values";

const show = (v: Value): string => formatConsole(v, DEFAULT_DISPLAY);
const lit = (s: string) => parseTemporalLiteral(s)?.raw as number | bigint;

describe("format: atoms", () => {
  const cases: [string, Value, string][] = [
    ["42", long(42), "42"],
    ["1i", int(1), "1i"],
    ["1b", atom(1, 1), "1b"],
    ["0x01", atom(4, 1), "0x01"],
    ["1h", atom(5, 1), "1h"],
    ["0N", long(LONG_NULL), "0N"],
    ["0W", long(LONG_INF), "0W"],
    ["-0W", long(-LONG_INF), "-0W"],
    ["0Ni", int(-2147483648), "0Ni"],
    ["0Nh", atom(5, -32768), "0Nh"],
    ["2f", float(2), "2f"],
    ["1.5", float(1.5), "1.5"],
    ["pi", float(Math.PI), "3.141593"],
    ["0n", float(Number.NaN), "0n"],
    ["0w", float(Number.POSITIVE_INFINITY), "0w"],
    ["-0w", float(Number.NEGATIVE_INFINITY), "-0w"],
    ["1e10", float(1e10), "1e+10"],
    ["tan 1.5707963", float(3.732054e7), "3.732054e+07"],
    ["1e-10 ish", float(7.58256e-10), "7.58256e-10"],
    ["0we", atom(8, Number.POSITIVE_INFINITY), "0we"],
    ["1e", atom(8, 1), "1e"],
    ['"a"', char(97), '"a"'],
    ['"\\n"', char(10), '"\\n"'],
    ["`abc", sym("abc"), "`abc"],
    ["`", sym(""), "`"],
    ["2000.01.01", atom(14, 0), "2000.01.01"],
    ["2024.01m", atom(13, lit("2024.01m")), "2024.01m"],
  ];
  for (const [name, v, text] of cases) it(`${name} shows ${text}`, () => assert.equal(show(v), text));
  it("shows the generic null as nothing", () => assert.equal(show(IDENTITY), ""));
});

describe("format: vectors", () => {
  const cases: [string, Value, string][] = [
    ["longs", longs([1, 2, 3]), "1 2 3"],
    ["ints", vectorOf(6, [1, 2, 3]), "1 2 3i"],
    ["shorts", vectorOf(5, [1, 2]), "1 2h"],
    ["with nulls (fills 0N 2 3 0N)", longs([LONG_NULL, 2, 3, LONG_NULL]), "0N 2 3 0N"],
    ["bools", bools([0, 1, 0]), "010b"],
    ["bytes", vectorOf(4, [1, 2]), "0x0102"],
    ["whole floats", floats([1, 2, 3]), "1 2 3f"],
    ["mixed floats", floats([1.5, 2]), "1.5 2"],
    ["float nulls (0 mavg 2 3)", floats([Number.NaN, Number.NaN]), "0n 0n"],
    ["exp with infinity", floats([1, 162754.8, Number.POSITIVE_INFINITY]), "1 162754.8 0w"],
    ["reals", vectorOf(8, [1, 2]), "1 2e"],
    ["symbols", syms(["a", "b"]), "`a`b"],
    ["string", str("ab"), '"ab"'],
    ["string with quote", str('a"b'), '"a\\"b"'],
    ["singleton long", longs([1]), ",1"],
    ["singleton char", str("a"), ',"a"'],
    ["singleton symbol", syms(["a"]), ",`a"],
    ["empty long", emptyVector(7), "`long$()"],
    ["empty symbol", emptyVector(11), "`symbol$()"],
    ["empty string", str(""), '""'],
    ["empty list", list([]), "()"],
    ["months (2012.05 2012.06m-2)", vectorOf(13, [lit("2012.03m"), lit("2012.04m")]), "2012.03 2012.04m"],
    ["dates", vectorOf(14, [lit("2017.12.31"), lit("2018.01.01")]), "2017.12.31 2018.01.01"],
    ["minutes (5 xbar)", vectorOf(17, [660, 665]), "11:00 11:05"],
    ["sorted attribute", { kind: "vector", type: 7, data: Float64Array.of(1, 2, 3), attr: "s" }, "`s#1 2 3"],
  ];
  for (const [name, v, text] of cases) it(`${name} shows ${text}`, () => assert.equal(show(v), text));
});

describe("format: general lists", () => {
  it("shows the item of a one-item list on its own line (enlist {x}[])", () => {
    assert.equal(show(rawList([IDENTITY])), "::");
    assert.equal(compactText(rawList([IDENTITY])), ",::");
  });
  it("shows one item per line (w[i])", () => {
    assert.equal(show(list([longs([10, 5, -1]), long(LONG_NULL), longs([3, LONG_NULL])])), "10 5 -1\n0N\n3 0N");
  });
  it("shows strings one per line (m[3 1])", () => {
    assert.equal(show(list([str("jkl"), str("def")])), '"jkl"\n"def"');
  });
  it("shows nested lists in compact form ((12h;13 14h)$(42;42 42))", () => {
    const v = list([atom(12, 42), rawList([atom(13, 42), atom(14, 42)])]);
    assert.equal(show(v), "2000.01.01D00:00:00.000000042\n(2003.07m;2000.02.12)");
  });
  it("aligns equal-length rows like a matrix (3 dbl\\2 7)", () => {
    const v = list([longs([2, 7]), longs([4, 14]), longs([8, 28]), longs([16, 56])]);
    assert.equal(show(v), "2  7\n4  14\n8  28\n16 56");
  });
  it("aligns rows of strings (txt)", () => {
    const row = (...w: string[]) => list(w.map(str));
    const v = list([row("Now", "is", "the", "time"), row("for", "all", "good", "folk")]);
    assert.equal(show(v), '"Now" "is"  "the"  "time"\n"for" "all" "good" "folk"');
  });
  it("aligns mixed rows ((2 3 4;(5; 6 7;8)) within 3 6)", () => {
    const v = list([bools([0, 1, 1]), rawList([atom(1, 1), bools([1, 0]), atom(1, 0)])]);
    assert.equal(show(v), "0  1   1\n1b 10b 0b");
  });
  it('keeps boolean rows packed (n =/:\\: n, (3;"a")=(2 3 4;"abc"))', () => {
    assert.equal(show(list([bools([0, 1, 0]), bools([1, 0, 0])])), "010b\n100b");
    assert.equal(show(list([vectorOf(4, [0, 1]), vectorOf(4, [4, 5])])), "0x0001\n0x0405");
  });
  it("splits a string row among other rows into cells (reverse d)", () => {
    const d = dict(syms(["b", "a"]), list([str("xyz"), longs([1, 2, 3])]));
    assert.equal(show(d), "b| x y z\na| 1 2 3");
  });
  it('escapes bytes outside ASCII in octal ({(x;count x)}"Zürich")', () => {
    assert.equal(show(list([str("Zürich"), long(7)])), '"Z\\303\\274rich"\n7');
  });
  it('shows a nested string list per line (string (2 3;"abc"))', () => {
    const v = list([list([str("2"), str("3")]), list([str("a"), str("b"), str("c")])]);
    assert.equal(show(v), '(,"2";,"3")\n(,"a";,"b";,"c")');
  });
  it("shows a 1x1 matrix as ,,3.141593 in compact form (.Q.s1 pi)", () => {
    assert.equal(compactText(rawList([rawList([float(Math.PI)])])), ",,3.141593");
  });
  it("shows a cross product compactly (.Q.s1 (1 2;3 4) cross (5 6;7 8))", () => {
    const v = list([longs([1, 2, 5, 6]), longs([1, 2, 7, 8]), longs([3, 4, 5, 6]), longs([3, 4, 7, 8])]);
    assert.equal(compactText(v), "(1 2 5 6;1 2 7 8;3 4 5 6;3 4 7 8)");
  });
});

describe("format: functions", () => {
  const lambda = (source: string): Value => ({ kind: "lambda", source, params: [], body: undefined });
  it("shows lambdas by source and projections with their arguments", () => {
    assert.equal(show(lambda("{x*x}")), "{x*x}");
    assert.equal(show({ kind: "projection", fn: lambda("{x+y}"), args: [long(1), undefined] }), "{x+y}[1]");
    assert.equal(
      show({ kind: "projection", fn: lambda("{x+y+z}"), args: [undefined, long(1), undefined] }),
      "{x+y+z}[;1]",
    );
  });
  it("shows derived functions and keywords (string (+/), count)", () => {
    assert.equal(show({ kind: "derived", iterator: "/", fn: { kind: "prim", name: "+" } }), "+/");
    assert.equal(show({ kind: "prim", name: "count" }), "#:");
  });
});

describe("format: dictionaries", () => {
  it("aligns keys ({`a`b`c!...})", () => {
    const v = dict(syms(["a", "b", "c"]), list([long(45), atom(14, lit("2012.09.18")), long(4)]));
    assert.equal(show(v), "a| 45\nb| 2012.09.18\nc| 4");
  });
  it("pads short keys (show noon)", () => {
    const v = dict(
      syms(["minutes", "seconds", "nanoseconds"]),
      list([atom(17, 720), atom(18, 43200), atom(16, lit("0D12"))]),
    );
    assert.equal(show(v), "minutes    | 12:00\nseconds    | 12:00:00\nnanoseconds| 0D12:00:00.000000000");
  });
  it("shows equal-length value lists as aligned columns (show bd)", () => {
    const v = dict(
      syms(["name", "dob", "sex"]),
      list([
        syms(["jack", "jill", "john"]),
        vectorOf(14, [lit("1982.09.15"), lit("1984.07.05"), lit("1990.11.16")]),
        syms(["m", "f", "m"]),
      ]),
    );
    assert.equal(
      show(v),
      "name| jack       jill       john\ndob | 1982.09.15 1984.07.05 1990.11.16\nsex | m          f          m",
    );
  });
  it("shows string values quoted (string `a`b`c!2002 2004 2010)", () => {
    const v = dict(syms(["a", "b", "c"]), list([str("2002"), str("2004"), str("2010")]));
    assert.equal(show(v), 'a| "2002"\nb| "2004"\nc| "2010"');
  });
  it("shows a float value row aligned with strings (.j.k)", () => {
    const v = dict(syms(["a", "b"]), list([floats([0, 1]), list([str("hello"), str("world")])]));
    assert.equal(show(v), 'a| 0       1\nb| "hello" "world"');
  });
  it("compact form of a dict", () => {
    assert.equal(compactText(dict(syms(["a", "b"]), longs([1, 2]))), "`a`b!1 2");
    assert.equal(compactText(dict(syms(["a"]), longs([1]))), "(,`a)!,1");
  });
});

describe("format: tables", () => {
  it("shows header, dashes, rows (flip bd)", () => {
    const t = table(
      ["name", "dob", "sex"],
      [
        syms(["jack", "jill", "john"]),
        vectorOf(14, [lit("1982.09.15"), lit("1984.07.05"), lit("1990.11.16")]),
        syms(["m", "f", "m"]),
      ],
    );
    assert.equal(
      show(t),
      "name dob        sex\n-------------------\njack 1982.09.15 m\njill 1984.07.05 f\njohn 1990.11.16 m",
    );
  });
  it("shows nulls blank (aj[`sym`time;t;q])", () => {
    const t = table(
      ["time", "sym", "qty", "px"],
      [
        vectorOf(18, [36061, 36063, 36064]),
        syms(["msft", "ibm", "ge"]),
        longs([100, 200, 150]),
        longs([101, 98, LONG_NULL]),
      ],
    );
    assert.equal(
      show(t),
      "time     sym  qty px\n---------------------\n10:01:01 msft 100 101\n10:01:03 ibm  200 98\n10:01:04 ge   150",
    );
  });
  it("shows floats without suffix (exp t)", () => {
    const t = table(["a", "b"], [floats([22026.47, 7.58256e-10, 20.08554]), floats([54.59815, 148.4132, 0.002478752])]);
    assert.equal(
      show(t),
      "a           b\n-----------------------\n22026.47    54.59815\n7.58256e-10 148.4132\n20.08554    0.002478752",
    );
  });
  it("shows string cells quoted (string ([]a:1 2 3;b:`ibm`goog`aapl))", () => {
    const t = table(["a", "b"], [list([str("1"), str("2"), str("3")]), list([str("ibm"), str("goog"), str("aapl")])]);
    assert.equal(show(t), 'a    b\n-----------\n,"1" "ibm"\n,"2" "goog"\n,"3" "aapl"');
  });
  it("shows a keyed table (exp k)", () => {
    const k = table(["k"], [syms(["abc", "def", "ghi"])]);
    const v = table(["a", "b"], [floats([22026.47, 7.58256e-10, 20.08554]), floats([54.59815, 148.4132, 0.002478752])]);
    assert.equal(
      show(dict(k, v)),
      "k  | a           b\n---| -----------------------\nabc| 22026.47    54.59815\ndef| 7.58256e-10 148.4132\nghi| 20.08554    0.002478752",
    );
  });
  it("keyed table through .Q.s (.Q.s ([h:1 2 3] m: 4 5 6))", () => {
    const v = dict(table(["h"], [longs([1, 2, 3])]), table(["m"], [longs([4, 5, 6])]));
    assert.equal(textOf(qDotS(v, DEFAULT_DISPLAY)), "h| m\n-| -\n1| 4\n2| 5\n3| 6\n");
  });
  it("drops the type letter of nested numeric vectors (select movement:signum deltas price by sym)", () => {
    const k = table(["sym"], [syms(["AAPL", "GOOG"])]);
    const v = table(["movement"], [list([vectorOf(6, [1, 0, -1]), vectorOf(6, [1, 1, 1])])]);
    assert.equal(show(dict(k, v)), "sym | movement\n----| --------\nAAPL| 1 0 -1\nGOOG| 1 1 1");
  });
  it("shows a dict of rows with an unnamed key column (?[t;();`c1;enlist[`c2]!enlist`c2])", () => {
    const v = table(["c2"], [list([longs([10, 40, 40]), longs([20]), longs([30, 30])])]);
    assert.equal(show(dict(syms(["a", "b", "c"]), v)), " | c2\n-| --------\na| 10 40 40\nb| ,20\nc| 30 30");
  });
  it("shows a table keyed to plain values (exec sum qty by s:s from sp)", () => {
    const k = table(["s"], [syms(["s1", "s2", "s3", "s4"])]);
    assert.equal(show(dict(k, longs([1600, 700, 200, 600]))), "s |\n--| ----\ns1| 1600\ns2| 700\ns3| 200\ns4| 600");
  });
  it("compact form of a table", () => {
    assert.equal(compactText(table(["a", "b"], [longs([1, 2]), longs([3, 4])])), "+`a`b!(1 2;3 4)");
  });
});

describe("format: truncation at \\c 25 80", () => {
  it("cuts long lines to 77 characters plus ..", () => {
    const v = longs(Array.from({ length: 100 }, (_, i) => i));
    const out = show(v);
    assert.equal(out.length, 79);
    assert.ok(out.endsWith(".."));
    assert.equal(out.slice(0, 77), "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 ");
  });
  it("formats only the visible part of big values", () => {
    const n = 1_000_000;
    const big = { kind: "vector", type: 7, data: Float64Array.from({ length: n }, (_, i) => i), attr: "s" } as const;
    const started = Date.now();
    const line = show(big);
    const t = show(table(["a"], [big]));
    assert.ok(Date.now() - started < 500, "display of a million items took too long");
    assert.ok(line.startsWith("`s#0 1 2 3") && line.endsWith("..") && line.length === 79);
    assert.equal(t.split("\n").length, 23);
    assert.equal(t.split("\n")[21], "19");
  });
  it("cuts long outputs to 22 lines plus ..", () => {
    const v = list(Array.from({ length: 40 }, (_, i) => str(`row${i}`)));
    const lines = show(v).split("\n");
    assert.equal(lines.length, 23);
    assert.equal(lines[21], '"row21"');
    assert.equal(lines[22], "..");
  });
});

describe("format: string", () => {
  const asText = (v: Value): unknown => {
    if (v.kind === "vector" && v.type === 10) return textOf(v);
    if (v.kind === "list") return v.items.map(asText);
    return v.kind;
  };
  it('string 42 is "42"', () => assert.equal(show(qString(long(42))), '"42"'));
  it('string 2 is ,"2"', () => assert.equal(show(qString(long(2))), ',"2"'));
  it('string `ibm is "ibm"', () => assert.equal(show(qString(sym("ibm"))), '"ibm"'));
  it('string "cat" is a list of one-char strings', () => {
    assert.equal(show(qString(str("cat"))), ',"c"\n,"a"\n,"t"');
  });
  it("string 192 168 1 23 gives a list of strings", () => {
    assert.deepEqual(asText(qString(longs([192, 168, 1, 23]))), ["192", "168", "1", "23"]);
  });
  it("string of a dict maps values (string `a`b`c!2002 2004 2010)", () => {
    assert.equal(
      show(qString(dict(syms(["a", "b", "c"]), longs([2002, 2004, 2010])))),
      'a| "2002"\nb| "2004"\nc| "2010"',
    );
  });
  it("string 1.1 uses the display precision", () => {
    assert.equal(textOf(qString(float(1.1))), "1.1");
    assert.equal(textOf(qString(float(Math.PI))), "3.141593");
  });
});

describe("format: floats and .Q.f/.Q.fmt", () => {
  it("follows %g rules", () => {
    assert.deepEqual(
      [0.1, 100000, 1e7, 1e-5, 0.0001, -2.18504, 4999.9995].map((x) => formatFloat(x, 7)),
      ["0.1", "100000", "1e+07", "1e-05", "0.0001", "-2.18504", "4999.9995"].map((s) =>
        s === "4999.9995" ? "4999.999" : s,
      ),
    );
  });
  it(".Q.f[2;] each 9.996 34.3445 7817047037.90 781704703567.90 -.02 9.996 -0.0001", () => {
    assert.deepEqual(
      [9.996, 34.3445, 7817047037.9, 781704703567.9, -0.02, 9.996, -0.0001].map((x) => qDotF(2, x)),
      ["10.00", "34.34", "7817047037.90", "781704703567.90", "-0.02", "10.00", "-0.00"],
    );
  });
  it(".Q.f[2;.045] rounds to 0.05", () => assert.equal(qDotF(2, 0.045), "0.05"));
  it(".Q.fmt[6;2] each 1 234", () =>
    assert.deepEqual(
      [1, 234].map((x) => qDotFmt(6, 2, x)),
      ["  1.00", "234.00"],
    ));
  it(".Q.fmt[8;6] 1%7", () => assert.equal(qDotFmt(8, 6, 1 / 7), "0.142857"));
});
