/** How q names a column that a qSQL clause or a table literal leaves unnamed. */
import type { Node } from "./ast";

/**
 * Candidate names for an unnamed column expression, left to right: qSQL picks
 * the first that is a column of the table (qsql.ts); a table literal takes the first.
 */
export function nameCandidates(n: Node): string[] {
  const out: string[] = [];
  const visit = (x: Node | null | undefined): void => {
    if (!x) return;
    switch (x.type) {
      case "name":
        if (x.name !== "i") out.push(x.name);
        return;
      case "monad":
        visit(x.fn.type === "name" ? null : x.fn);
        visit(x.arg);
        return;
      case "dyad":
        // `2*c` is named x; `a+b` is a (or b when a is not a column).
        if (x.left.type !== "name") return;
        visit(x.left);
        visit(x.right);
        return;
      case "apply":
        x.args.forEach(visit);
        return;
      case "adverb":
        return;
      default:
        return;
    }
  };
  visit(n);
  return out;
}

/** q's implied column name in a table literal: the first name in the expression, else x. */
export function impliedName(n: Node): string {
  const first = nameCandidates(n)[0];
  if (first === undefined) return "x";
  return first.includes(".") ? first.slice(first.lastIndexOf(".") + 1) : first;
}
