// Parser tables, acorn-style: test(code, tree) checks the parse of `code` printed
// as a compact S-expression; testFail(code, message, start) checks the first
// positioned error of parseCollect and that the strict parse throws.
import { strict as assert } from "node:assert";
import type { Node } from "../../../server/src/q/ast";
import { QError } from "../../../server/src/q/errors";
import { lex } from "../../../server/src/q/lexer";
import { parse, parseCollect } from "../../../server/src/q/parser";

function show(n: Node | null): string {
  if (n === null) return "_";
  switch (n.type) {
    case "num":
      return n.parts.join(" ");
    case "str":
      return JSON.stringify(n.value);
    case "sym":
      return n.names.map((s) => `\`${s}`).join("");
    case "name":
      return n.name;
    case "verb":
      return n.glyph;
    case "noun":
      return `(${show(n.expr)})`;
    case "adverb":
      return `${show(n.fn)}${n.adverb}`;
    case "dyad":
      return `(${show(n.op)} ${show(n.left)} ${show(n.right)})`;
    case "monad":
      return `(${show(n.fn)} ${show(n.arg)})`;
    case "apply":
      return `${show(n.fn)}[${n.args.map(show).join(";")}]`;
    case "list":
      return `(${n.items.map(show).join(";")})`;
    case "lambda":
      return `{[${n.params.join(";")}] ${n.body.map(show).join("; ")}}`;
    case "assign":
      return `(${n.global ? "::" : ":"}${n.op ? show(n.op) : ""} ${n.name}${n.indices ? `[${n.indices.map(show).join(";")}]` : ""} ${show(n.value)})`;
    case "return":
      return `(return ${show(n.value)})`;
    case "signal":
      return `(signal ${show(n.value)})`;
    case "table":
      return `([${n.keys.map((c) => `${c.name ?? "?"}:${show(c.expr)}`).join(";")}] ${n.cols.map((c) => `${c.name ?? "?"}:${show(c.expr)}`).join(";")})`;
    case "sys":
      return `(sys ${n.command})`;
    case "sql":
      return `(${n.kind}${n.limit ? `[${n.limit.map(show).join(";")}]` : ""} ${n.cols.map((c) => `${c.name ?? "?"}:${show(c.expr)}`).join(",")} by ${n.by?.map((c) => show(c.expr)).join(",") ?? "-"} from ${show(n.from)} where ${n.where.map(show).join(",")}${n.names.length ? ` names ${n.names.join(",")}` : ""})`;
    case "empty":
      return "<>";
    case "projectLeft":
      return `(${show(n.left)} ${show(n.op)} _)`;
    case "block":
      return `[${n.body.map(show).join(";")}]`;
  }
}

function test(code: string, expected: string): void {
  it(`parses ${JSON.stringify(code)}`, () => {
    const { ast, errors } = parseCollect(code);
    assert.deepEqual(errors, []);
    assert.equal(ast.map(show).join(" | "), expected);
    assert.equal(parse(code).map(show).join(" | "), expected);
  });
}

function testFail(code: string, message: string, start: number): void {
  it(`rejects ${JSON.stringify(code)} with "${message}" at ${start}`, () => {
    const { errors } = parseCollect(code);
    assert.ok(errors.length > 0, "expected an error");
    assert.equal(errors[0]!.message, message);
    assert.equal(errors[0]!.start, start);
    assert.throws(() => parse(code), QError);
  });
}

describe("q parser", () => {
  describe("right-to-left application without precedence", () => {
    test("1+2*3", "(+ 1 (* 2 3))");
    test("2*3+1", "(* 2 (+ 3 1))");
    test("-x", "(- x)");
    test("count x", "(count x)");
    test("f g x", "(f (g x))");
    test("x mod 3", "(mod x 3)");
    test("count each x", "(each count x)");
    test("a b c", "(a (b c))");
    test("x:1 -2 3", "(: x 1 -2 3)");
    test("x-1", "(- x 1)");
    test("x -1", "(x -1)");
    test("x - 1", "(- x 1)");
    test("(-1)+2", "(+ -1 2)");
    test("1 2 3f", "1 2 3f");
    test("csv 0: t", "(0: csv t)");
    test("(1):1", "(: 1 1)");
  });

  describe("literals", () => {
    test('"a\\nb\\101"', '"a\\nbA"');
    test("`a`b`c", "`a`b`c");
    test("`:path/to", "`:path/to");
    test("`", "`");
    test("2020.01.01 2020.01.02", "2020.01.01 2020.01.02");
    test("12:30:00.000", "12:30:00.000");
    test("0x0f10", "0x0f10");
    test("101b", "101b");
    test("0N 0W -0W", "0N 0W -0W");
    test("1e-5", "1e-5");
  });

  describe("brackets, iterators, projections", () => {
    test("f[1;2]", "f[1;2]");
    test("f[;2]", "f[_;2]");
    test("f[1;]", "f[1;_]");
    test("f[]", "f[]");
    test("m[1][2]", "m[1][2]");
    test("+/[1 2]", "+/[1 2]");
    test("0 +/ 1 2", "(+/ 0 1 2)");
    test("x ,/: y", "(,/: x y)");
    test("f'[x;y]", "f'[x;y]");
    test("{x+y}/[1;2]", "{[x;y] (+ x y)}/[1;2]");
    test("(+) . 2 3", "(. (+) 2 3)");
    test("(2+)", "((2 + _))");
    test("til count@", "(til (count @ _))");
    test("(1;;2)", "(1;_;2)");
    test("()", "()");
    test("-:", "-:");
    test("#:[x]", "#:[x]");
  });

  describe("lambdas", () => {
    test("{[a;b] a+b}", "{[a;b] (+ a b)}");
    test("{x*y+z}", "{[x;y;z] (* x (+ y z))}");
    test("{y}", "{[x;y] y}");
    test("{1;}", "{[x] 1; <>}");
    test("{a:1\n  a+x}", "{[x] (: a 1); (+ a x)}");
    test("{{x}[y]}", "{[x;y] {[x] x}[y]}");
  });

  describe("assignment, return, signal, control", () => {
    test("a::5", "(:: a 5)");
    test("a+:1", "(:+ a 1)");
    test("a,:1", "(:, a 1)");
    test("a[1]:2", "(: a[1] 2)");
    test("a[1;2]+:3", "(:+ a[1;2] 3)");
    test("d[`k]:3", "(: d[`k] 3)");
    test("{:x+1}", "{[x] (return (+ x 1))}");
    test("'`oops", "(signal `oops)");
    test("$[a;b;c]", "$[a;b;c]");
    test("if[a;b;c]", "if[a;b;c]");
  });

  describe("statements and comments", () => {
    test("a:1;b:2", "(: a 1) | (: b 2)");
    test("1+2 / a comment", "(+ 1 2)");
    test("/ whole line\n3", "3");
    test("1\n/\nblock\ncomment\n\\\n2", "1 | 2");
    test("1\n\\\nignored", "1");
    test("a:1+\n  2", "(: a (+ 1 2))");
    test("1;", "1 | <>");
    test("\\d .foo", "(sys d .foo)");
    test("+/[1 2]/x", "(+/[1 2]/ x)");
  });

  describe("tables and qSQL", () => {
    test("([] a:1 2; b:3 4)", "([] a:1 2;b:3 4)");
    test("([k:1 2] v:3 4)", "([k:1 2] v:3 4)");
    test("select from t", "(select  by - from t where )");
    test("select a, b:c by d from t where e>1, f", "(select ?:a,b:c by d from t where (> e 1),f)");
    test("select[2] from t", "(select[2]  by - from t where )");
    test("exec a from t", "(exec ?:a by - from t where )");
    test("update a:a+1 from t where b", "(update a:(+ a 1) by - from t where b)");
    test("delete a,b from t", "(delete  by - from t where  names a,b)");
    test("delete from t where a>1", "(delete  by - from t where (> a 1))");
    test("select sum a by b from t", "(select ?:(sum a) by b from t where )");
    test("select f[a;b] from t", "(select ?:f[a;b] by - from t where )");
  });

  describe("errors are positioned and collected", () => {
    testFail(")", "unmatched )", 0);
    testFail("(1;2", "missing )", 4);
    testFail("f[1", "missing ]", 3);
    testFail('"abc', "unterminated string", 0);
    testFail("1+2]", "unmatched ]", 3);
    testFail("{[a;1] a}", "parameter must be a name", 5);
    testFail("{[a;b;c;d;e;f;g;h;i] a}", "params", 0);
    testFail("select a t", "select needs from", 10);

    it("keeps going after an error and keeps lexer errors", () => {
      const { ast, errors } = parseCollect('1+2]\n3\n"open');
      assert.equal(errors.length, 2);
      assert.deepEqual(
        errors.map((e) => e.start),
        [3, 7],
      );
      assert.ok(ast.some((n) => n.type === "num" && n.parts[0] === "3"));
    });

    it("gives every node a span inside the text", () => {
      const code = "f:{[a] a+sum b*til 3}; x[1]:2";
      const walk = (n: unknown): void => {
        if (n === null || typeof n !== "object") return;
        if ("span" in n) {
          const s = (n as { span: { start: number; end: number } }).span;
          assert.ok(s.start >= 0 && s.end <= code.length && s.start <= s.end);
        }
        for (const v of Object.values(n)) walk(v);
      };
      walk(parse(code));
    });

    it("lexes without throwing on arbitrary bytes", () => {
      const r = lex('a\u0001b ¬ ü `x"');
      assert.ok(r.errors.length >= 1);
      assert.equal(r.tokens[r.tokens.length - 1]!.kind, "eof");
    });
  });
});
