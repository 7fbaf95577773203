/**
 * Table and dictionary verbs, checked through their console display. Inputs and expected
 * displays are the examples of the q reference pages (docs/ref/lj.md, ij.md, uj.md, ej.md,
 * pj.md, meta.md, ungroup.md, xgroup.md, upsert.md, aj.md, flip.md), rebuilt here with the
 * values.ts constructors.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_DISPLAY, formatConsole } from "../../../server/src/q/format";
import {
  atom,
  dict,
  floats,
  LONG_NULL,
  list,
  longs,
  type QTable,
  str,
  sym,
  syms,
  table,
  type Value,
  vectorOf,
} from "../../../server/src/q/values";
import {
  asofJoin,
  columnNames,
  equiJoin,
  flip,
  groupRows,
  innerJoin,
  keyFirst,
  leftJoin,
  meta,
  renameColumns,
  reorderColumns,
  sortTable,
  takeKeys,
  ungroup,
  unionJoin,
  unkey,
  upsert,
  xgroup,
  xkey,
} from "../../../server/src/q/verbs/tables";

const show = (v: Value): string => formatConsole(v, DEFAULT_DISPLAY);
const tbl = (...cols: [string, Value][]): QTable =>
  table(
    cols.map((c) => c[0]),
    cols.map((c) => c[1]),
  );
const N = LONG_NULL;

describe("tables: flip and keys", () => {
  it("flips a dict into a table and back (flip bd)", () => {
    const d = dict(syms(["a", "b"]), list([longs([1, 2]), syms(["x", "y"])]));
    const t = flip(d);
    assert.equal(show(t), "a b\n---\n1 x\n2 y");
    assert.equal(show(flip(t)), "a| 1 2\nb| x y");
  });
  it("keys a table with n! and unkeys with 0!", () => {
    const t = tbl(["h", longs([1, 2, 3])], ["m", longs([4, 5, 6])]);
    const k = keyFirst(1, t);
    assert.equal(show(k), "h| m\n-| -\n1| 4\n2| 5\n3| 6");
    assert.equal(show(keyFirst(0, k)), "h m\n---\n1 4\n2 5\n3 6");
    assert.deepEqual(columnNames(k), ["h", "m"]);
  });
  it("xkey moves key columns to the front", () => {
    const t = tbl(["a", longs([1, 2])], ["b", syms(["x", "y"])]);
    assert.equal(show(xkey(["b"], t)), "b| a\n-| -\nx| 1\ny| 2");
  });
  it("transposes a list of lists", () => {
    assert.equal(show(flip(list([longs([1, 2, 3]), longs([4, 5, 6])]))), "1 4\n2 5\n3 6");
  });
});

describe("tables: meta (meta.md)", () => {
  it("shows type letters, upper case for nested float lists", () => {
    const u = tbl(["code", syms(["F1"])], ["vr", floats([2.3])]);
    assert.equal(show(meta(u)), "c   | t f a\n----| -----\ncode| s\nvr  | f");
    const v = tbl(["code", syms(["F2"])], ["vr", list([floats([5.4, 43.2])])]);
    assert.equal(show(v), "code vr\n-------------\nF2   5.4 43.2");
    assert.equal(show(meta(v)), "c   | t f a\n----| -----\ncode| s\nvr  | F");
  });
  it("shows the sorted attribute xasc sets", () => {
    const t = tbl(
      ["time", vectorOf(19, [2, 1])],
      ["sym", syms(["b", "a"])],
      ["price", floats([1, 2])],
      ["size", vectorOf(6, [1, 2])],
    );
    assert.equal(
      show(meta(sortTable(["sym"], t, false))),
      "c    | t f a\n-----| -----\ntime | t\nsym  | s   s\nprice| f\nsize | i",
    );
  });
});

describe("tables: joins", () => {
  it("lj fills unmatched rows with nulls (lj.md)", () => {
    const x = tbl(["a", longs([1, 2, 3])], ["b", syms(["I", "J", "K"])], ["c", longs([10, 20, 30])]);
    const y = keyFirst(
      2,
      tbl(["a", longs([1, 3])], ["b", syms(["I", "K"])], ["c", longs([1, 2])], ["d", longs([10, 20])]),
    );
    assert.equal(show(y), "a b| c d\n---| ----\n1 I| 1 10\n3 K| 2 20");
    assert.equal(show(leftJoin(x, y)), "a b c  d\n---------\n1 I 1  10\n2 J 20\n3 K 2  20");
  });
  it("lj and ij take nulls from the right table (q 3.0 behaviour)", () => {
    const x = tbl(["a", longs([1, 2])], ["b", syms(["x", "y"])], ["c", longs([10, 20])]);
    const y = keyFirst(1, tbl(["a", longs([1, 2])], ["b", syms(["", "z"])], ["c", longs([1, N])]));
    assert.equal(show(y), "a| b c\n-| ---\n1|   1\n2| z");
    assert.equal(show(leftJoin(x, y)), "a b c\n-----\n1   1\n2 z");
    assert.equal(show(innerJoin(x, y)), "a b c\n-----\n1   1\n2 z");
  });
  it("lj needs a keyed right table", () => {
    const x = tbl(["a", longs([1])]);
    assert.throws(() => leftJoin(x, x), /type/);
  });
  it("ij keeps only matching rows (ij.md)", () => {
    const x = tbl(["k", longs([1, 2, 3, 4])], ["v", longs([10, 20, 30, 40])]);
    const y = keyFirst(
      1,
      tbl(["k", longs([2, 3, 4, 5])], ["v", longs([200, 300, 400, 500])], ["s", syms(["a", "b", "c", "d"])]),
    );
    assert.equal(show(innerJoin(x, y)), "k v   s\n-------\n2 200 a\n3 300 b\n4 400 c");
  });
  it("ej returns every matching pair (ej.md)", () => {
    const t1 = tbl(["k", longs([1, 2, 3, 4])], ["c", longs([10, 20, 30, 40])]);
    const t2 = tbl(
      ["k", longs([2, 2, 3, 4, 5])],
      ["c", longs([200, 222, 300, 400, 500])],
      ["v", floats([2.2, 22.22, 3.3, 4.4, 5.5])],
    );
    assert.equal(show(equiJoin(["k"], t1, t2)), "k c   v\n-----------\n2 200 2.2\n2 222 22.22\n3 300 3.3\n4 400 4.4");
  });
  it("uj appends simple tables and merges keyed ones (uj.md)", () => {
    const s = tbl(["a", longs([1, 2])], ["b", longs([2, 3])], ["c", longs([5, 7])]);
    const t = tbl(["a", longs([1, 2, 3])], ["b", longs([2, 3, 7])], ["c", longs([10, 20, 30])], ["d", str("ABC")]);
    assert.equal(show(unionJoin(s, t)), "a b c  d\n--------\n1 2 5\n2 3 7\n1 2 10 A\n2 3 20 B\n3 7 30 C");
    assert.equal(
      show(unionJoin(keyFirst(2, s), keyFirst(2, t))),
      "a b| c  d\n---| ----\n1 2| 10 A\n2 3| 20 B\n3 7| 30 C",
    );
  });
  it("aj takes the prevailing quote (aj.md)", () => {
    const secs = (...xs: string[]) =>
      vectorOf(
        18,
        xs.map((s) => {
          const [h, m, sec] = s.split(":").map(Number) as [number, number, number];
          return h * 3600 + m * 60 + sec;
        }),
      );
    const t = tbl(
      ["time", secs("10:01:01", "10:01:03", "10:01:04")],
      ["sym", syms(["msft", "ibm", "ge"])],
      ["qty", longs([100, 200, 150])],
    );
    const q = tbl(
      ["time", secs("10:01:00", "10:01:00", "10:01:00", "10:01:02")],
      ["sym", syms(["ibm", "msft", "msft", "ibm"])],
      ["px", longs([100, 99, 101, 98])],
    );
    assert.equal(
      show(asofJoin(["sym", "time"], t, q, false)),
      "time     sym  qty px\n---------------------\n10:01:01 msft 100 101\n10:01:03 ibm  200 98\n10:01:04 ge   150",
    );
  });
});

describe("tables: columns, sorting, grouping", () => {
  const t = tbl(["a", longs([2, 1, 2])], ["b", syms(["x", "y", "z"])], ["c", longs([3, 2, 1])]);
  it("xasc sorts stably by several columns", () => {
    assert.equal(show(sortTable(["a", "c"], t, false)), "a b c\n-----\n1 y 2\n2 z 1\n2 x 3");
    assert.equal(show(sortTable(["a"], t, true)), "a b c\n-----\n2 x 3\n2 z 1\n1 y 2");
  });
  it("xcol renames and xcols reorders", () => {
    assert.equal(show(renameColumns(syms(["p", "q"]), t)), "p q c\n-----\n2 x 3\n1 y 2\n2 z 1");
    assert.equal(show(renameColumns(dict(syms(["c"]), syms(["z"])), t)), "a b z\n-----\n2 x 3\n1 y 2\n2 z 1");
    assert.equal(show(reorderColumns(["c"], t)), "c a b\n-----\n3 2 x\n2 1 y\n1 2 z");
  });
  it("takes columns of a table and keys of a dict", () => {
    assert.equal(show(takeKeys(["c", "a"], t)), "c a\n---\n3 2\n2 1\n1 2");
    assert.equal(show(takeKeys(["b"], dict(syms(["a", "b"]), longs([1, 2])))), "b| 2");
  });
  it("groups rows in order of first appearance", () => {
    const g = groupRows([longs([2, 1, 2])]);
    assert.equal(show(g.keys[0] as Value), "2 1");
    assert.deepEqual(
      g.indices.map((ix) => Array.from(ix)),
      [[0, 2], [1]],
    );
  });
  it("xgroup and ungroup (xgroup.md)", () => {
    const src = tbl(
      ["a", longs([0, 0, 1, 1, 2])],
      ["b", syms(["a", "a", "c", "d", "e"])],
      ["c", longs([0, 1, 2, 3, 4])],
    );
    const g = xgroup(["a", "b"], src);
    assert.equal(show(g), "a b| c\n---| ---\n0 a| 0 1\n1 c| ,2\n1 d| ,3\n2 e| ,4");
    assert.equal(show(ungroup(g)), "a b c\n-----\n0 a 0\n0 a 1\n1 c 2\n1 d 3\n2 e 4");
  });
  it("ungroup flattens nested columns (ungroup.md)", () => {
    const t2 = tbl(
      ["s", syms(["a", "b", "c"])],
      ["p", list([longs([2]), longs([5, 7, 11]), longs([13, 17])])],
      ["q", longs([10, 20, 30])],
      ["r", list([str("A"), str("CDE"), str("FG")])],
    );
    assert.equal(show(t2), 's p      q  r\n-----------------\na ,2     10 ,"A"\nb 5 7 11 20 "CDE"\nc 13 17  30 "FG"');
    assert.equal(
      show(ungroup(t2)),
      "s p  q  r\n---------\na 2  10 A\nb 5  20 C\nb 7  20 D\nb 11 20 E\nc 13 30 F\nc 17 30 G",
    );
  });
});

describe("tables: upsert (upsert.md)", () => {
  const t = tbl(["name", syms(["tom", "dick", "harry"])], ["age", longs([28, 29, 30])], ["sex", syms(["M", "M", "M"])]);
  it("appends one record and several records", () => {
    assert.equal(
      show(upsert(t, list([sym("dick"), atom(7, 49), sym("M")]))),
      "name  age sex\n-------------\ntom   28  M\ndick  29  M\nharry 30  M\ndick  49  M",
    );
    const two = list([list([sym("dick"), atom(7, 49), sym("M")]), list([sym("jane"), atom(7, 23), sym("F")])]);
    assert.equal(
      show(upsert(t, two)),
      "name  age sex\n-------------\ntom   28  M\ndick  29  M\nharry 30  M\ndick  49  M\njane  23  F",
    );
  });
  it("fills columns a table of new rows lacks", () => {
    const rows = tbl(["age", longs([49, 23])], ["name", syms(["dick", "jane"])]);
    assert.equal(
      show(upsert(t, rows)),
      "name  age sex\n-------------\ntom   28  M\ndick  29  M\nharry 30  M\ndick  49\njane  23",
    );
  });
  it("updates matching keys of a keyed table and appends the rest", () => {
    const a = keyFirst(1, tbl(["s", syms(["q", "w", "e"])], ["r", longs([1, 2, 3])], ["u", longs([5, 6, 7])]));
    const b = keyFirst(1, tbl(["s", syms(["e", "r", "q"])], ["r", longs([30, 4, 10])], ["u", longs([70, 8, 50])]));
    assert.equal(show(upsert(a, b)), "s| r  u\n-| -----\nq| 10 50\nw| 2  6\ne| 30 70\nr| 4  8");
    assert.equal(
      show(upsert(a, list([sym("e"), atom(7, 30), atom(7, 70)]))),
      "s| r  u\n-| -----\nq| 1  5\nw| 2  6\ne| 30 70",
    );
    assert.equal(show(unkey(a)), "s r u\n-----\nq 1 5\nw 2 6\ne 3 7");
  });
});
