// Interpreter tables through QSession.evalLine, oK-style: test(input, display)
// checks the console display of one line (after any setup lines), fail(input,
// name) checks the q error name.
import { strict as assert } from "node:assert";
import { QSession } from "../../../server/src/q/session";

function test(input: string, expected: string, setup: string[] = []): void {
  const given = setup.length ? ` given ${setup.join("; ")}` : "";
  it(`${input} → ${JSON.stringify(expected)}${given}`, () => {
    const s = new QSession();
    for (const line of setup) {
      const r = s.evalLine(line);
      assert.equal(r.error, undefined, `setup ${line}: ${r.output}`);
    }
    const r = s.evalLine(input);
    assert.equal(r.error, undefined, r.output);
    assert.equal(r.output.replace(/\n$/, ""), expected);
  });
}

function fail(input: string, name: string, setup: string[] = []): void {
  it(`${input} → '${name}${setup.length ? ` given ${setup.join("; ")}` : ""}`, () => {
    const s = new QSession();
    for (const line of setup) s.evalLine(line);
    const r = s.evalLine(input);
    assert.equal(r.error, name, r.output);
    assert.ok(r.output.startsWith(`'${name}`), r.output);
  });
}

describe("q interpreter", () => {
  describe("application and evaluation order", () => {
    test("2*3+1", "8");
    test("1 2 3+10", "11 12 13");
    test("{x+1}/[3;0]", "3");
    test("{x+y}[1;2]", "3");
    test("{x+y}[1][2]", "3");
    test("{x+y+z}[1;;3] 2", "6");
    test("+[2;3]", "5");
    test("(2+)3", "5");
    test("+[1] 5", "6");
    test("f 3", "9", ["f:{x*x}"]);
    test("f[2;3]", "8", ["f:{[a;b] a*b+1}"]);
    test("(+) . 2 3", "5");
    test(".[+;1 2]", "3");
    test("@[neg;3]", "-3");
    test('"abcdef"[1 4 3]', '"bed"');
    test("m[0;2 0 1]", '"cab"', ['m:("abc";"def";"ghi")']);
    test("m[;1]", '"beh"', ['m:("abc";"def";"ghi")']);
    test("m[1][2]", '"f"', ['m:("abc";"def";"ghi")']);
    test("d`b", "2", ["d:`a`b!1 2"]);
    test("d[`a`b]", "1 2", ["d:`a`b!1 2"]);
    test("x -1", "9", ["x:{x+10}"]);
    test("1;2", "2");
    test("a:1", "");
    test("1+2;", "");
  });

  describe("lambdas", () => {
    test("{[a;b] c:a+b; c*2}[1;2]", "6");
    test("{x}[]", "");
    test("{1;}[0]", "");
    test("f 1", "`pos", ["f:{if[x>0; :`pos]; `neg}"]);
    test("f -1", "`neg", ["f:{if[x>0; :`pos]; `neg}"]);
    test("fib 15", "610", ["fib:{$[x<2;x;fib[x-1]+fib[x-2]]}"]);
    test("{a::x; 0}[5]; a", "5");
    test("g 2", "12", ["a:10", "g:{a+x}"]);
    test("g 1", "2", ["a:10", "g:{a:1; a+x}"]);
    fail("{x}[;1]", "rank");
    fail("{[a;b;c;d;e;f;g;h;i] a}", "params");
  });

  describe("iterators", () => {
    test("+/[1 2 3]", "6");
    test("+\\1 2 3", "1 3 6");
    test("1000+\\2 3 4", "1002 1005 1009");
    test("+/[10;1 2 3]", "16");
    test("{x+1}\\[3;0]", "0 1 2 3");
    test("{x*2}\\[{x<100};1]", "1 2 4 8 16 32 64 128");
    test("{x*x}/[2;3]", "81");
    test("{floor x%2}\\[10]", "10 5 2 1 0");
    test("count each (1 2;3 4 5)", "2 3");
    test("1 2,/:3 4", "1 2 3\n1 2 4");
    test("1 2,\\:3 4", "1 3 4\n2 3 4");
    test("1 2 3,'4 5 6", "1 4\n2 5\n3 6");
    test("-':[1 4 9 16]", "1 3 5 7");
    test("{x,y}/[();1 2 3]", "1 2 3");
    test("{x+y+z}/[0;1 2;3 4]", "10");
    fail("1 2 3,'4 5", "length");
  });

  describe("assignment and amend", () => {
    test("a+0", "0 99 99 3", ["a:til 4", "a[1 2]:99"]);
    test("a*1", "5 1 2", ["a:til 3", "a[0]+:5"]);
    test("a", "1 2 3", ["a:1", "a,:2 3"]);
    test("x", "1 2\n7 4", ["x:(1 2;3 4)", "x[1;0]:7"]);
    test("d+0", "a| 1\nb| 3", ["d:`a`b!1 2", "d[`b]:3"]);
    test("d", "a| 1\nb| 2\nc| 3", ["d:`a`b!1 2", "d[`c]:3"]);
    test(".[(1 2;3 4);(0;1);:;7]", "1 7\n3 4");
    test("@[til 4;1 2;+;10]", "0 11 12 3");
    test("@[til 4;1;neg]", "0 -1 2 3");
    test("@[`a;0;:;9]; a", "9 2", ["a:1 2"]);
  });

  describe("control and errors", () => {
    test("$[1b;`yes;`no]", "`yes");
    test("$[0b;1;0b;2;3]", "3");
    test("r+0", "3", ["r:0", "do[3;r+:1]"]);
    test("r", "10", ["r:1", "while[r<10;r+:1]"]);
    test("@[{x+1};`a;{x}]", '"type"');
    test(".[{[a;b] '`boom};1 2;{`caught,`$x}]", "`caught`boom");
    test('@[{\'"custom"};0;{x}]', '"custom"');
    fail("'`oops", "oops");
    fail("1 2 3+1 2", "length");
    fail("undefinedname", "undefinedname");
    fail("r 1", "stack", ["r:{r x}"]);
    fail("til 10000000000", "wsfull");
    it("shows the error with q's source line and caret", () => {
      const r = new QSession().evalLine("1 2 3 + 4 5");
      assert.equal(r.output, "'length\n  [0]  1 2 3 + 4 5\n             ^\n");
    });
  });

  describe("pattern matching (q 4.1)", () => {
    test("a,b,c", "1 3 1 3", ["a:(b;:1+):1 2", "c:b+2"]);
    test("one,two", '"ab"', ['(1 2!(one;two)):1 2!"ab"']);
    test("e", "5 6", ["([]cc:e):([]aa:1 2;bb:3 4;cc:5 6)"]);
    test("f[1 2;3]", "6", ["f:{[(p;q);r]p+q+r}"]);
    test("f[3;4]", "3", ["f:{[x;]x}"]);
    test("c2f 20", "68f", ["chk:{$[x<0;'`cold;x]}", "c2f:{[x:chk]32+1.8*x}"]);
    fail("(1 2):1 3", "match");
    fail("(p;q):1 2 3", "length");
    fail("(:`f):3e", "type");
    fail("c2f -1", "cold", ["chk:{$[x<0;'`cold;x]}", "c2f:{[x:chk]32+1.8*x}"]);
  });

  describe("output", () => {
    test('-1 "hello";', "hello");
    test('-1 "hi"', "hi\n-1");
    test("0N!1 2;", "1 2");
    test("show 1 2", "1 2");
  });

  describe("engine-bugs.md follow-ups", () => {
    // .z.s is the running function (code.kx.com/q/ref/dotz/#zs-self).
    test("{$[x>0;x+.z.s x-1;0]} 3", "6");
    test("{$[x<2;x;.z.s[x-1]+.z.s x-2]} 10", "55");
    test("{{.z.s}[]} 0", "{.z.s}");
    // 0N!x prints the unformatted one-line text and returns x.
    test("0N!(1 6;8 10;15 18);", "(1 6;8 10;15 18)");
    test('0N!("ab";"cd");', '("ab";"cd")');
    test("0N!`a`b!1 2;", "`a`b!1 2");
    test("0N!(1 6;8 10)", "(1 6;8 10)\n1 6\n8 10");
    // -3!x is .Q.s1 (code.kx.com/q/basics/internal).
    test("-3!1 2 3", '"1 2 3"');
    test("-3!`a`b!1 2", '"`a`b!1 2"');
    test(".Q.s1 1 2 3", '"1 2 3"');
    test(".Q.s 1 2 3", '"1 2 3\\n"');
    test(".Q.f[2;9.996]", '"10.00"');
    test(".Q.fmt[6;2]each 1 234", '"  1.00"\n"234.00"');
    test('.j.j `a`b!(0 1;("hello";"world"))', '"{\\"a\\":[0,1],\\"b\\":[\\"hello\\",\\"world\\"]}"');
    test('.j.k "[1,2]"', "1 2f");
    test(".Q.addmonths[2006.10.29;4]", "2007.03.01");
    test("{.Q.s1 x}`a", '"`a"');
    test(".Q.s1", "7", [".Q.s1:7"]);
    // Field access on temporal globals (code.kx.com/q/ref/cast/#temporal).
    test("d.year", "2003i", ["d:2003.03.23"]);
    test("d.mm", "3i", ["d:2003.03.23"]);
    test("d.dd", "23i", ["d:2003.03.23"]);
    test("d.month", "2003.03m", ["d:2003.03.23"]);
    test("t.hh", "9i", ["t:09:15:30"]);
    test("ts.date", "2003.03.23", ["ts:2003.03.23D09:15:30.000000000"]);
    test("select y:d.year from t", "y\n----\n2003\n2024", ["t:([]d:2003.03.23 2024.01.02)"]);
    // Table verbs given a table name act on the global.
    test("`t upsert (3;`z)", "`t", ["t:([]a:1 2;b:`x`y)"]);
    test("t", "a b\n---\n1 x\n2 y\n3 z", ["t:([]a:1 2;b:`x`y)", "`t upsert (3;`z)"]);
    test("cols `t", "`a`b", ["t:([]a:1 2;b:`x`y)"]);
    test("meta `t", "c| t f a\n-| -----\na| j\nb| s", ["t:([]a:1 2;b:`x`y)"]);
    test("`t insert (3;`z)", ",2", ["t:([]a:1 2;b:`x`y)"]);
    test("t`a", "2 1", ["t:([]a:1 2;b:`x`y)", "`b xdesc `t"]);
    fail("`k insert (1;30)", "insert", ["k:([id:1 2]v:10 20)"]);
    // select[n;>c] sorts on c before taking n (code.kx.com/q/ref/select/#limit-and-order).
    test("select[2;>a] from t", "a b\n---\n3 x\n2 z", ["t:([]a:3 1 2;b:`x`y`z)"]);
    test("select[>a] from t", "a b\n---\n3 x\n2 z\n1 y", ["t:([]a:3 1 2;b:`x`y`z)"]);
    test("select[-2;<b] from t", "a b\n---\n1 y\n2 z", ["t:([]a:3 1 2;b:`x`y`z)"]);
    test('.Q.t?"j"', "7");
    // Join's identity () seeds a seedless scan (code.kx.com/q/ref/accumulators).
    test("(,\\)2 3 4", ",2\n2 3\n2 3 4");
    // exec … by: bare groups key by a list, named ones by a table; named columns give a table.
    const sp = ["sp:([]s:`s1`s1`s2;qty:300 200 700)"];
    test("exec q:sum qty by s from sp", "  | q\n--| ---\ns1| 500\ns2| 700", sp);
    test("exec sum qty by s:s from sp", "s |\n--| ---\ns1| 500\ns2| 700", sp);
    test("exec q:sum qty by s:s from sp", "s | q\n--| ---\ns1| 500\ns2| 700", sp);
    test("exec sum qty by s from sp", "s1| 500\ns2| 700", sp);
    test("exec qty, s by 0b from sp", "qty s\n------\n300 s1\n200 s1\n700 s2", sp);
    test(".Q.nA", '"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"');
  });

  describe("allocation guard (maxVectorBytes)", () => {
    for (const line of ["til 300000000", "300000000#1", "where 2 300000000", "x,x"]) {
      it(`${line} → 'wsfull over a 16 MB budget`, () => {
        const s = new QSession({ maxVectorBytes: 16 * 1024 * 1024 });
        s.evalLine("x:til 1500000");
        const r = s.evalLine(line);
        assert.equal(r.error, "wsfull", r.output);
      });
    }
    it("leaves smaller vectors alone", () => {
      const s = new QSession({ maxVectorBytes: 16 * 1024 * 1024 });
      assert.equal(s.evalLine("count til 1000000").output, "1000000\n");
      assert.equal(s.evalLine("0N 3#til 9").output, "0 1 2\n3 4 5\n6 7 8\n");
    });
  });

  describe("namespaces and system commands", () => {
    test(".foo.a", "5", ["\\d .foo", "a:5", "\\d ."]);
    test(".foo.g 1", "6", ["\\d .foo", "a:5", "g:{a+x}", "\\d ."]);
    test("\\d", "`.foo", ["\\d .foo"]);
    test(".Q.n", '"0123456789"');
    test("1%3", "0.333", ["\\P 3"]);
    test('system "c"', "30 100i", ['system "c 30 100"']);
    fail('system "ls"', "nyi");
    fail("hopen 5000", "nyi");
    fail("\\l /etc/passwd", "/etc/passwd");
  });

  describe("value and eval", () => {
    test('value "1+2"', "3");
    test("value `a", "7", ["a:7"]);
    test("eval (+;1;2)", "3");
  });

  describe("tables and qSQL", () => {
    const t = ["t:([] a:1 2 3; b:`x`y`x)"];
    test("t", "a b\n---\n1 x\n2 y\n3 x", t);
    test("select from t where a>1", "a b\n---\n2 y\n3 x", t);
    test("select a from t where b=`x", "a\n-\n1\n3", t);
    test("select s:sum a by b from t", "b| s\n-| -\nx| 4\ny| 2", t);
    test("select count i by b from t", "b| x\n-| -\nx| 2\ny| 1", t);
    test("exec a from t", "1 2 3", t);
    test("exec sum a by b from t", "x| 4\ny| 2", t);
    test("update c:a*2 from t", "a b c\n-----\n1 x 2\n2 y 4\n3 x 6", t);
    test("update a:0 from t where b=`y", "a b\n---\n1 x\n0 y\n3 x", t);
    test("delete from t where a=2", "a b\n---\n1 x\n3 x", t);
    test("delete b from t", "a\n-\n1\n2\n3", t);
    test("select[2] from t", "a b\n---\n1 x\n2 y", t);
    test("?[t;enlist(>;`a;1);0b;`a`b!`a`b]", "a b\n---\n2 y\n3 x", t);
    test("update a:a+1 from `t; t", "a b\n---\n2 x\n3 y\n4 x", t);
  });

  describe("indexed assignment never changes other references", () => {
    test("b", "1 0 0", ["a:3#0", "a[0]:1", "b:a", "a[1]:2"]);
    test("b,a", "1 0 0 5 0 0", ["a:3#0", "a[0]:1", "b:a", "a[0]:5"]);
    test("l", "1 0 0\n1 0 0", ["a:3#0", "a[0]:1", "l:(a;a)", "a[2]:9"]);
    test("g", "0 1 0", ["a:3#0", "a[1]:1", "f:{a}", "g:f[]", "a[2]:2"]);
    test("r", "0 1 0", ["a:3#0", "a[1]:1", "r:value `a", "a[1]:7"]);
  });

  // How fast these run is measured in bench/engine (the lambda loop and the growth loops, each
  // against a plain JavaScript loop in the same run), not here: a loaded machine made wall-clock
  // limits in unit tests flaky.
  describe("long loops", () => {
    it("updates a vector in a loop of 100,000 steps", () => {
      const r = new QSession().evalLine("{[n] d:n#0; i:1; while[i<n; d[i]:d[i-1]+i; i+:1]; d n-1}[100000]");
      assert.equal(r.output, "4999950000\n");
    });
    it("runs {x+1}/[1000000;0]", () => {
      assert.equal(new QSession().evalLine("{x+1}/[1000000;0]").output, "1000000\n");
    });
  });
});
