// Rows of `input → display` run as mocha tests: each input in a fresh session, its lines before
// the last run as setup (each must succeed), the last line's console display compared. An
// expected display starting with ' is the error the last line must signal.

import assert from "node:assert/strict";
import { QSession } from "../../../../server/src/q/session";

export type Row = [input: string, expected: string];

export function runRows(rows: Row[]): void {
  for (const [input, expected] of rows) {
    it(input.replace(/\n/g, " ⏎ "), () => {
      const s = new QSession();
      const lines = input.split("\n");
      for (const setup of lines.slice(0, -1)) assert.equal(s.evalLine(setup).error, undefined, setup);
      const r = s.evalLine(lines[lines.length - 1]!);
      if (expected.startsWith("'")) assert.equal(r.error, expected.slice(1), `expected error ${expected}`);
      else {
        assert.equal(r.error, undefined, `unexpected error '${r.error}: ${r.output}`);
        assert.equal(r.output.replace(/\n$/, ""), expected);
      }
    });
  }
}
