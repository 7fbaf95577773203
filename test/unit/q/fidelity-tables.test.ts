// Tables, dictionaries, qSQL and joins (issue 14): each row checked against the display
// documented on the code.kx.com page named per block (rows as in ./support/display-rows.ts).

import { runRows as run } from "./support/display-rows";

const SP_T = "t:([]sym:3#`ibm;time:10:01:01 10:01:04 10:01:08;price:100 101 105)";
const SP_Q =
  "q:([]sym:`ibm;time:10:01:01+til 9;ask:101 103 103 104 104 107 108 107 108;bid:98 99 102 103 103 104 106 106 107)";

describe("fidelity-tables: locals and Cond in qSQL (basics/function-notation, basics/qsql)", () => {
  run([
    // A local assigned only in a branch not taken is the empty list, not the global.
    ["t:([]0 1)\n{if[x;t:([]`a`b)];select from t} 0b", "'type"],
    ["t:([]0 1)\n{if[x;t:([]`a`b)];select from t} 1b", "x\n-\na\nb"],
    ["t:([]0 1)\n{select from t}[]", "x\n-\n0\n1"],
    // Cond is not supported inside a query: `$[c;t;f]` there is dyadic $ given three arguments.
    ['u:([]a:("ref/a";"kb/b");b:0 1)\nselect from u where a like $[1b;"ref/*";"kb/*"]', "'rank"],
  ]);
});

describe("fidelity-tables: delete from a dictionary (ref/delete)", () => {
  run([
    ["d:`a`b`c!til 3\ndelete b from `d", "`d"],
    ["d:`a`b`c!til 3\ndelete b from `d\nd", "a| 0\nc| 2"],
    ["d:`a`b`c!til 3\ndelete a,c from d", "b| 1"],
  ]);
});

describe("fidelity-tables: dictionary amend (basics/dictsandtables)", () => {
  run([
    ["v:10 20 30 40 50\nv[5 1]:42 100", "'length"],
    ["dic:`a`b`c`d`e!10 20 30 40 50\ndic[`x`b]:42 100\ndic", "a| 10\nb| 100\nc| 30\nd| 40\ne| 50\nx| 42"],
  ]);
});

describe("fidelity-tables: aggregates of dictionaries and tables (ref/avg, ref/med)", () => {
  run([
    ["d:`a`b!(10 21 3;4 5 6)\n1 2 wavg d", "6 10.33333 5"],
    ["1 2 wavg (10 21 3;4 5 6)", "6 10.33333 5"],
    // med sorts a table's rows whole and averages the middle ones.
    ["t:flip d:`a`b!(10 -21 3;4 5 -6)\nmed t", "a| 3\nb| -6"],
    ["k:`k xkey update k:`abc`def`ghi from t:flip d:`a`b!(10 -21 3;4 5 -6)\nmed k", "a| 3\nb| -6"],
    ["d:`a`b!(10 -21 3;4 5 -6)\nmed d", "7 -8 -1.5"],
  ]);
});

describe("fidelity-tables: window and as-of joins (ref/wj, ref/aj)", () => {
  run([
    [`${SP_T}\nt.time`, "10:01:01 10:01:04 10:01:08"],
    [
      `${SP_T}\n${SP_Q}\nw:-2 1+\\:t.time\nwj[w;\`sym\`time;t;(q;(max;\`ask);(min;\`bid))]`,
      "sym time     price ask bid\n--------------------------\nibm 10:01:01 100   103 98\nibm 10:01:04 101   104 99\nibm 10:01:08 105   108 104",
    ],
    [
      `${SP_T}\n${SP_Q}\nw:-2 1+\\:t.time\nwj[w;\`sym\`time;t;(q;(::;\`ask);(::;\`bid))]`,
      "sym time     price ask             bid\n--------------------------------------------------\nibm 10:01:01 100   101 103         98 99\nibm 10:01:04 101   103 103 104 104 99 102 103 103\nibm 10:01:08 105   107 108 107 108 104 106 106 107",
    ],
    // wj1 takes only quotes inside the window: not the one prevailing at 10:01:02.5's start.
    [
      `${SP_T}\n${SP_Q}\nwj1[(t.time-00:00:01;t.time);\`sym\`time;t;(q;(::;\`ask))]`,
      "sym time     price ask\n--------------------------\nibm 10:01:01 100   ,101\nibm 10:01:04 101   103 104\nibm 10:01:08 105   108 107",
    ],
    [
      "t0:([]time:2#00:00:01;sym:`a`b;p:1 1;n:`r`s)\nt1:([]time:2#00:00:01;sym:`a`b;p:0 1)\nt2:([]time:2#00:00:00;sym:`a`b;p:1 0N;n:`r`s)\nt0~ajf[`sym`time;t1;t2]",
      "1b",
    ],
  ]);
});

describe("fidelity-tables: value of a lambda and implicit arguments with qSQL (ref/value, basics/qsql)", () => {
  run([
    ["args:{(value x)1}\nargs{}", ",`x"],
    // x, y, z inside a query may be columns: only the from-phrase reveals an implicit argument.
    ["args:{(value x)1}\nargs{select from y where a=x,b=z}", "`x`y"],
    ["args:{(value x)1}\nargs{[x;y;z]select from y where a=x,b=z}", "`x`y`z"],
    ["{select from ([]a:0 1;b:2 3) where a=x,b=y}[0;2]", "'rank"],
    ["{[x;y]select from ([]a:0 1;b:2 3) where a=x,b=y}[0;2]", "a b\n---\n0 2"],
    ["f:{[a;b]d::neg c:a*b+5;c+e}\n1_value f", '`a`b\n,`c\n``d`e\n5\n"{[a;b]d::neg c:a*b+5;c+e}"'],
  ]);
});

describe("fidelity-tables: keys and attributes by name (ref/enkey, ref/set-attribute)", () => {
  run([
    ["t:([a:1 2 3]b:10 20 30;c:`x`y`z)\n0!`t", "`t"],
    ["t:([a:1 2 3]b:10 20 30;c:`x`y`z)\n0!`t\nt", "a b  c\n------\n1 10 x\n2 20 y\n3 30 z"],
    ["t:([]a:1 2;b:3 4)\n1!`t\nkeys t", ",`a"],
    // A sorted table marks its first column parted.
    ["meta `s#([] ti:00:00:00 00:00:01 00:00:03; v:98 98 100.)", "c | t f a\n--| -----\nti| v   p\nv | f"],
    ["`s#([]a:2 1)", "'s-fail"],
  ]);
});

describe("fidelity-tables: qSQL forms (ref/select, ref/fby, ref/parse)", () => {
  run([
    // distinct applies to the whole result (sp.q loads this way: select distinct p,s.city from sp).
    ["t:([]a:1 1 2;b:3 3 4)\nselect distinct a,b from t", "a b\n---\n1 3\n2 4"],
    ["t:([]a:1 1 2;b:3 3 4)\nselect distinct from t", "a b\n---\n1 3\n2 4"],
    ['parse "select distinct a,b from t"', "?\n`t\n()\n1b\n`a`b!`a`b"],
    // Inside a lambda the from-phrase x is the argument, not an outer query's column x.
    [
      "t:([]s:`a`a`b;q:1 2 3;x:0 0 0)\nselect from t where ({exec q>=sums q from x};([]q)) fby s",
      "s q x\n-----\na 1 0\nb 3 0",
    ],
    ['eval parse"a::5"', "5"],
    ['eval parse"a::5"\na', "5"],
    ['eval parse"b:6"\nb', "6"],
  ]);
});

describe("fidelity-tables: amend and trains (ref/amend, ref/file-text)", () => {
  run([
    ["@[1 2; ::; 3 4*]", "'type"],
    ["@[1 2; ::; *; 3 4]", "3 8"],
    ["@[(1 2;4 5); ::; ,; 3 6]", "1 2 3\n4 5 6"],
    [
      't:([]Actual:1.47 0.03 300;FiscalTag:("FY2022Q2";"FY2022Q2";enlist"FY2022H1"))\ncols[t] where 1<(count distinct type each)each t cols t',
      ",`FiscalTag",
    ],
    ['("J";`a)0:enlist "ab"', "'type"],
  ]);
});

describe("fidelity-tables: drop keys, assign through operator, mail-style dates (ref/drop, ref/assign, ref/file-text)", () => {
  run([
    ["d:100 200!`a`b\nenlist[100] _ d", "200| b"],
    ["d:100 200!`a`b\nenlist[1] _ d", "100| a\n200| b"],
    // An undefined name starts from the operator's identity element.
    ["bar+:1\nbar", "1"],
    ["c*:5\nc", "5"],
    ["\\d .test\nf:{[a;b]d::neg c:a*b+5;c+e}\n(value f)3", "`test`d`e"],
    [
      'dates:("Tue, 04 Jun 2013 07:00:13 +0900";"Tue, 04 Jun 2013 07:00:13 -0500")\nsum(" Z T";5 20 1 5)0:dates',
      "2013.06.04T16:00:13.000 2013.06.04T02:00:13.000",
    ],
    ['"Z"$"04 Foo 2013"', "0Nz"],
  ]);
});

describe("fidelity-tables: ljf keeps x's value where y's is null (ref/lj)", () => {
  const xy = "x:([]a:1 2;b:`x`y;c:10 20)\ny:([a:1 2]b:``z;c:1 0N)";
  run([
    [`${xy}\nx lj y`, "a b c\n-----\n1   1\n2 z"],
    [`${xy}\nx ljf y`, "a b c\n------\n1 x 1\n2 z 20"],
    [`${xy}\nx lj ()`, "a b c\n------\n1 x 10\n2 y 20"],
  ]);
});

describe("fidelity-tables: an unassigned local is never the global (basics/function-notation, ref/assign)", () => {
  run([
    ["a:10\n{a+:1;a}[]", "1"],
    ["a:10\n{if[0b;a:1];a}[]", "()"],
    ["a:10\n{if[0b;a:1];a}[]\na", "10"],
  ]);
});
