/**
 * The q syntax tree: a discriminated union on `type`; every node carries the
 * source span it came from. Evaluation never mutates nodes (the interpreter
 * compiles them to closures once and keeps its state elsewhere).
 *
 * q has no operator precedence: `a op b op c` is `a op (b op c)`. The parser
 * records the three ways a value is applied:
 * - `dyad`: infix `x op y` with a verb-like operator (glyph, derived function, infix keyword);
 * - `monad`: prefix application by adjacency (`-x`, `count x`, `f x`, `x y` indexing);
 * - `apply`: bracket application `f[a;b]`, with `null` marking an elided argument (`f[;2]`).
 */
import type { Span } from "./tokens";

export type Node =
  | NumNode
  | StrNode
  | SymNode
  | NameNode
  | VerbNode
  | AdverbNode
  | DyadNode
  | MonadNode
  | ApplyNode
  | ListNode
  | LambdaNode
  | AssignNode
  | ReturnNode
  | SignalNode
  | TableNode
  | SysNode
  | SqlNode
  | EmptyNode
  | ProjectLeftNode
  | NounNode
  | BlockNode;

interface Base {
  span: Span;
}

/** Numeric or temporal literal; `parts` are element texts (a vector when more than one or suffixed `b`/`0x`). */
export interface NumNode extends Base {
  type: "num";
  parts: string[];
}
/** String (or char atom when one byte); `value` holds the bytes as a latin-1 string. */
export interface StrNode extends Base {
  type: "str";
  value: string;
}
export interface SymNode extends Base {
  type: "sym";
  names: string[];
}
export interface NameNode extends Base {
  type: "name";
  name: string;
}
/** A primitive glyph (`+`, `::`) or infix keyword used as an operator or noun. */
export interface VerbNode extends Base {
  type: "verb";
  glyph: string;
}
/** `fn` modified by an iterator: `+/`, `f'`, `,/:`. */
export interface AdverbNode extends Base {
  type: "adverb";
  adverb: string;
  fn: Node;
}
export interface DyadNode extends Base {
  type: "dyad";
  op: Node;
  left: Node;
  right: Node;
}
export interface MonadNode extends Base {
  type: "monad";
  fn: Node;
  arg: Node;
}
export interface ApplyNode extends Base {
  type: "apply";
  fn: Node;
  args: (Node | null)[];
}
/** `(a;b;c)`; a parenthesised single expression is returned as itself. */
export interface ListNode extends Base {
  type: "list";
  items: (Node | null)[];
}
export interface LambdaNode extends Base {
  type: "lambda";
  params: string[];
  body: Node[];
  source: string;
}
/**
 * `name:v`, `name::v`, `name op: v`, `name[i;j]:v`, `name[i] op: v`.
 * `indices` is present for indexed forms; `op` for modified assignment.
 */
export interface AssignNode extends Base {
  type: "assign";
  name: string;
  global: boolean;
  op?: Node;
  indices?: (Node | null)[];
  /** `(a;b):v` destructuring: names per item, null to skip one. `name` is then "". */
  targets?: (string | null)[];
  value: Node;
}
export interface ReturnNode extends Base {
  type: "return";
  value: Node;
}
export interface SignalNode extends Base {
  type: "signal";
  value: Node;
}
/** `([k:..] c:..)`: `keys` empty for an unkeyed table. */
export interface TableNode extends Base {
  type: "table";
  keys: Column[];
  cols: Column[];
}
export interface Column {
  name: string | null;
  expr: Node;
}
export interface SysNode extends Base {
  type: "sys";
  command: string;
}
export interface SqlNode extends Base {
  type: "sql";
  kind: "select" | "exec" | "update" | "delete";
  /** `select[n]` / `select[n;>col]` limit expressions. */
  limit: Node[] | null;
  cols: Column[];
  by: Column[] | null;
  from: Node;
  where: Node[];
  /** `delete a,b from t`: column names. */
  names: string[];
  /** `select distinct …`: the result's distinct rows. */
  distinct?: boolean;
}
/** Nothing (an empty statement, `f[]`'s argument). */
export interface EmptyNode extends Base {
  type: "empty";
}
/** `(2+)`: a dyadic verb with only its left argument. */
export interface ProjectLeftNode extends Base {
  type: "projectLeft";
  op: Node;
  left: Node;
}
/** A verb in parentheses, `(+)`: a value, not an operator. */
export interface NounNode extends Base {
  type: "noun";
  expr: Node;
}
/** Statements evaluated in order; the value of the last one is the result. */
export interface BlockNode extends Base {
  type: "block";
  body: Node[];
}

export const span = (start: number, end: number): Span => ({ start, end });
