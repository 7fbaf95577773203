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
