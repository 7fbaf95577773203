/**
 * A visitor table over the q syntax tree, in the style of acorn-walk: `CHILDREN`
 * has one entry per node type listing that node's direct children, so every
 * analysis (scopes, lint rules, folding) walks the same way and a new node type
 * needs exactly one new row. `walk` calls the visitor for a node before its
 * children; returning `false` skips the children.
 */
import type { Column, Node } from "../ast";

type Kids = (n: Node) => (Node | null | undefined)[];

const cols = (cs: Column[] | null): Node[] => (cs ?? []).map((c) => c.expr);

/** Direct children of each node type, in source order. */
export const CHILDREN: { [K in Node["type"]]: (n: Extract<Node, { type: K }>) => (Node | null | undefined)[] } = {
  num: () => [],
  str: () => [],
  sym: () => [],
  name: () => [],
  verb: () => [],
  sys: () => [],
  empty: () => [],
  adverb: (n) => [n.fn],
  dyad: (n) => [n.left, n.op, n.right],
  monad: (n) => [n.fn, n.arg],
  apply: (n) => [n.fn, ...n.args],
  list: (n) => n.items,
  lambda: (n) => n.body,
  assign: (n) => [...(n.indices ?? []), n.op, n.value],
  return: (n) => [n.value],
  signal: (n) => [n.value],
  table: (n) => [...cols(n.keys), ...cols(n.cols)],
  sql: (n) => [...(n.limit ?? []), ...cols(n.cols), ...cols(n.by), n.from, ...n.where],
  projectLeft: (n) => [n.left, n.op],
  noun: (n) => [n.expr],
  block: (n) => n.body,
};

export function children(n: Node): Node[] {
  const out = (CHILDREN[n.type] as Kids)(n);
  return out.filter((c): c is Node => c !== null && c !== undefined);
}

/** Pre-order walk; `visit` returning false prunes the node's children. */
export function walk(nodes: readonly Node[], visit: (n: Node, parent: Node | null) => boolean | undefined): void {
  const go = (n: Node, parent: Node | null): void => {
    if (visit(n, parent) === false) return;
    for (const c of children(n)) go(c, n);
  };
  for (const n of nodes) go(n, null);
}
