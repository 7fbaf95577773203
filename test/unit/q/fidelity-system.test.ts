// System and utility pages of the q reference, checked row by row against the console text
// code.kx.com shows: `0:` and `1:` on values in memory (ref/file-text, ref/file-binary), the
// `.h` markup utilities (ref/doth), `.Q.qt`/`.Q.ty`/`.Q.res` (ref/dotq).
import { strict as assert } from "node:assert";
import { QSession } from "../../../server/src/q/session";

/** Runs the lines in one fresh session; returns the console text of the last one. */
function run(...lines: string[]): string {
  const s = new QSession({ consoleRows: 25, consoleCols: 80, timeLimitMs: 5000, maxOutputBytes: 65536 });
  let out = "";
  for (const l of lines) {
    const r = s.evalLine(l);
    out = r.error === undefined ? r.output : `'${r.error}`;
  }
  return out.trimEnd();
}

const rows = (cases: [string | string[], string][]) => {
  for (const [input, expected] of cases) {
    const lines = Array.isArray(input) ? input : [input];
    it(lines.join("; "), () => assert.equal(run(...lines), expected));
  }
};

describe("q fidelity: system and utility pages", () => {
  describe("0: prepare text (code.kx.com/q/ref/file-text)", () => {
    rows([
      ["csv 0: ([]a:1 2 3;b:`x`y`z)", '"a,b"\n"1,x"\n"2,y"\n"3,z"'],
      ['"|" 0: (`a`b`c;1 2 3;"xyz")', '"a|1|x"\n"b|2|y"\n"c|3|z"'],
      // A cell holding the delimiter is quoted with its quotes doubled; other quotes stay.
      [
        ['t:([]x:("foo";"bar,baz";"qu\\"ux";"fred\\",barney"))', '-1@","0:t;'],
        'x\nfoo\n"bar,baz"\nqu"ux\n"fred"",barney"',
      ],
      ['csv 0:([]("foo\\nbar";"baz"))', ',"x"\n"\\"foo\\nbar\\""\n"baz"'],
      [['t:([]a:1 2;b:("xy";enlist"zw"))', "csv 0:t"], "'type"],
    ]);
  });

  describe("0: load text from strings", () => {
    rows([
      ['("I*";",";1)0:("0,\\"ab\\nc\\"";"1,\\"def\\"")', '0       1\n"ab\\nc" "def"'],
      ['("DT";",")0:"20130315,185540686"', "2013.03.15\n18:55:40.686"],
      ['sum("DT";8 9)0:enlist"20130315185540686"', ",2013.03.15D18:55:40.686000000"],
      ['("SS";enlist",")0:("a,b";"x,y";"z,w")', "a b\n---\nx y\nz w"],
      ['"S=;"0:"one=1;two=2;three=3"', 'one  two  three\n,"1" ,"2" ,"3"'],
      ['"I=;"0:"1=first;2=second;3=third"', '1       2        3\n"first" "second" "third"'],
      ['0N!"J=*,"0:"5=\\"hello,world\\",6=1";', '(5 6;("hello,world";,"1"))'],
    ]);
  });

  describe("1: binary records (code.kx.com/q/ref/file-binary)", () => {
    rows([
      ['(enlist 4;enlist"i")1:0x01000000', "16777216"],
      ['(enlist"i";enlist 4)1:0x01000000', "1"],
      ['.Q.s1 (enlist"f";enlist 8)1:0x7fbdc282fb210940', '",,3.141593"'],
      ['("ich";4 1 2)1:0x00000000410000FF00000042FFFF', "0 255\nA B\n0 -1"],
      ['("ich";4 1 2)1:"arthur!"', "1752461921\nu\n8562"],
    ]);
  });

  describe(".h utilities (code.kx.com/q/ref/doth)", () => {
    rows([
      ['.h.code "foo\\tbar\\tabc\\tdef"', '"foo <code><nobr>bar</nobr></code> abc <code><nobr>def</nobr></code>"'],
      [
        '.h.ha["http://www.example.com";"Example.com Main Page"]',
        '"<a href=\\"http://www.example.com\\">Example.com Main Page</a>"',
      ],
      ['.h.hta[`a;(`href`target)!("http://x";"_blank")]', '"<a href=\\"http://x\\" target=\\"_blank\\">"'],
      ['.h.hc "<foo>"', '"&lt;foo>"'],
      ['.h.xs "Arthur & Co."', '"Arthur &amp; Co."'],
      ['.h.hu "http://www.kx.com"', '"http%3a%2f%2fwww.kx.com"'],
      ['.h.uh "http%3a%2f%2fwww.kx.com"', '"http://www.kx.com"'],
      [".h.iso8601 100", '"2000-01-01T00:00:00.000000100"'],
      ['.h.pre("foo";"bar")', '"<pre>foo\\nbar\\n</pre>"'],
      ['.h.text("foo";"bar")', '"<p>foo</p>\\n<p>bar</p>\\n"'],
      [".h.td ([]a:1 2;b:`x`y)", '"a\\tb"\n"1\\tx"\n"2\\ty"'],
      [".h.xd ([]a:1 2;b:`x`y)", '"<R>"\n"<r><a>1</a><b>x</b></r>"\n"<r><a>2</a><b>y</b></r>"\n"</R>"'],
      ['first .h.xt[`json;enlist"{\\"foo\\":\\"bar\\"}"]', 'foo| "bar"'],
      ['count .h.hy[`json;"[]"]', "91"],
      // .h.cd joins a nested cell's items with .h.d, which the user may change.
      [['t:([a:til 2]b:2 3#"abc";c:2 3#1 2 3)', ".h.cd t"], '"a,b,c"\n"0,abc,1 2 3"\n"1,abc,1 2 3"'],
      [['t:([a:til 2]b:2 3#"abc";c:2 3#1 2 3)', '.h.d:"*"', ".h.cd t"], '"a,b,c"\n"0,abc,1*2*3"\n"1,abc,1*2*3"'],
      ["key .h.tx", "`raw`json`csv`txt`xml`xls"],
      [".h.tx[`json] ([] 0 1)", '"{\\"x\\":0}"\n"{\\"x\\":1}"'],
      [".h.ty`json", '"application/json"'],
    ]);
  });

  describe(".Q utilities (code.kx.com/q/ref/dotq)", () => {
    rows([
      [".Q.qt ([]a:1 2)", "1b"],
      [".Q.qt ([a:1 2]b:3 4)", "1b"],
      [".Q.qt 1 2", "0b"],
      [['t:([]a:3 4 5;b:"abc";c:(3;"xy";`ab);d:3 2#3 4 5;e:("abc";"de";"fg"))', ".Q.ty each t`a`b`c`d`e"], '"jc JC"'],
      ["5#.Q.res", "`abs`acos`asin`atan`avg"],
    ]);
  });

  describe("get, set and key on names (code.kx.com/q/ref/get, /basics/namespaces)", () => {
    rows([
      [["`a set 42", "a"], "42"],
      [["a:1 2 3", "get `a"], "1 2 3"],
      ['get "2+3"', "5"],
      ["get (+;1;2)", "3"],
      ["get `q`w`e!(1 2;3 4;5 6)", "1 2\n3 4\n5 6"],
      ["`:f set 1", "'nyi"],
      ["key `", "`q`Q`h`j`o"],
      [[".fee.fi.fo:1", "key `"], "`q`Q`h`j`o`fee"],
      [[".fee.fi.fo:1", "key `.fee"], "``fi"],
      [[".fee.fi.fo:1", "key `.fee.fi"], "``fo"],
      // key of a name (code.kx.com/q/ref/key): a dictionary's keys, else the name, () if undefined.
      [["D:`q`w`e!(1 2;3 4;5 6)", "key `D"], "`q`w`e"],
      ["()~key`a", "1b"],
      ["5#key`.q", "``neg`not`null`string"],
      ["any .Q.res in key`.q", "0b"],
      [["a:1", "key`a"], "`a"],
      [["a:1", "\\d .foo", "a:1 2!3 4", "key`a"], "1 2"],
      [["a:1", "\\d .foo", "a:1 2!3 4", "key`..a"], "`..a"],
    ]);
  });

  describe("internal functions -n!x (code.kx.com/q/basics/internal)", () => {
    rows([
      ['-4!"a variable"', ',"a"\n," "\n"variable"'],
      ['-5!"select this from that"', "?\n`that\n()\n0b\n(,`this)!,`this"],
      // The q 4.1 IPC form: 8-byte header, type 7, attribute 0, count 3, three longs.
      ["-8!1 2 3", "0x0100000026000000070003000000010000000000000002000000000000000300000000000000"],
      ["count -8!til 1000", "8014"],
      ['x~-9!-8!x:([]a:1 2;b:`x`y;c:("ab";"cd"))', "1b"],
      ['x~-9!-8!x:(1;`a;"x";2000.01.01;`a`b!(1;2.5))', "1b"],
      ["(-22!v)=count -8!v:til 5", "1b"],
      ["-27!(3i;0 1+123456789.4567)", '"123456789.457"\n"123456790.457"'],
      ['raze string -33!"mypassword"', '"91dfd9ddb4198affc5c194cd8ce6d338fde470e2"'],
    ]);
  });

  describe("console input handler and signals (code.kx.com/q/ref/dotz, /ref/signal)", () => {
    rows([
      [['.z.pi:{">",.Q.s value x}', "2+3"], ">5"],
      [['.z.pi:{">",.Q.s value x}', "\\x .z.pi", "2+3"], "5"],
      [["aa:([]a:1 2;b:3 4)", ".z.pi:{0N!value x;}", "aa"], "+`a`b!(1 2;3 4)"],
      ['{@[{\'x};x;{"trap:",x}]} 1', '"trap:stype"'],
      ['{@[{\'x};x;{"trap:",x}]} "a"', '"trap:stype"'],
      ['{@[{\'x};x;{"trap:",x}]} "oops"', '"trap:oops"'],
      [["s:([s:`a`b`c`d]v:1 2 3 4)", ".Q.ft[{x 2 3};s]"], "s| v\n-| -\nc| 3\nd| 4"],
      // .z.vs gets the name and the indices amended, () for the whole value.
      [[".z.vs:{0N!(x;y;value x)}", "m:(1 2;3 4)"], "(`m;();(1 2;3 4))"],
      [["m:(1 2;3 4)", ".z.vs:{0N!(x;y;value x)}", "m[1;1]:0"], "(`m;1 1;(1 2;3 0))"],
      [["v:1 2 3", ".z.vs:{0N!(x;y)}", "v[1]:5"], "(`v;,1)"],
    ]);
  });
});
