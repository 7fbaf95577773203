/**
 * Global variables and namespaces of one q session.
 *
 * Every global lives in one map under its full name: root names bare (`a`),
 * namespaced names with their dotted path (`.ns.a`, `.Q.n`). The current
 * namespace (`\d .ns`) only changes how unqualified names resolve: `a`
 * defined or read while in `.ns` is `.ns.a`, falling back to the root `a` when
 * reading. A namespace read as a value (`.ns`, `` key `.ns ``) is assembled as a
 * dictionary of its members on demand.
 */
import { QError } from "./errors";
import { temporalFieldValue } from "./temporal";
import { atom, dict, IDENTITY, index, list, str, syms, type Value } from "./values";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Pure `.Q` and `.z` entries every session starts with. */
function builtins(): [string, Value][] {
  return [
    [".Q.n", str("0123456789")],
    [".Q.a", str(LETTERS)],
    [".Q.A", str(LETTERS.toUpperCase())],
    [".Q.an", str(`${LETTERS}${LETTERS.toUpperCase()}_0123456789`)],
    [".Q.nA", str(`0123456789${LETTERS.toUpperCase()}`)],
    [".Q.b6", str(`${LETTERS.toUpperCase()}${LETTERS}0123456789+/`)],
    // Type letters indexed by type number (`.Q.t?"j"` is 7).
    [".Q.t", str(" bg xhijefcspmdznuvts")],
    ["csv", { kind: "atom", type: 10, v: 44 }],
    [".z.K", { kind: "atom", type: 9, v: 4.1 }],
    [".z.k", { kind: "atom", type: 14, v: 9131 }],
    [".z.o", { kind: "atom", type: 11, v: "l64" }],
    [".z.f", { kind: "atom", type: 11, v: "" }],
    [".z.x", { kind: "list", items: [] }],
  ];
}

export class Env {
  private readonly vars = new Map<string, Value>(builtins());
  /** Current namespace: "" for root, else ".ns". */
  ns = "";

  /** Full name that an unqualified definition of `name` creates in namespace `ns`. */
  qualify(name: string, ns = this.ns): string {
    if (name.startsWith(".") || ns === "") return name;
    return `${ns}.${name}`;
  }

  /** Looks a name up as q does from code defined in namespace `ns`; undefined if unknown. */
  lookup(name: string, ns = this.ns): Value | undefined {
    if (ns !== "" && !name.startsWith(".")) {
      const v = this.vars.get(`${ns}.${name}`);
      if (v !== undefined) return v;
    }
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    const clock = clockValue(name);
    if (clock !== undefined) return clock;
    // `` `. `` is the root namespace: its user names (`` `.[`v] `` reads v).
    if (name === ".") {
      const names = this.rootNames();
      return dict(syms(names), list(names.map((n) => this.vars.get(n)!)));
    }
    if (name.startsWith(".")) return this.namespace(name);
    // `d.k`: a member of a dictionary held in a global; `x.year`, `x.hh`: a field of a temporal global.
    const dot = name.indexOf(".");
    if (dot > 0) {
      const base = this.lookup(name.slice(0, dot), ns);
      if (base?.kind === "dict") return memberOf(base, name.slice(dot + 1));
      // `t.time`: a column of a table held in a global (code.kx.com/q/ref/wj).
      if (base?.kind === "table") {
        const k = base.columns.indexOf(name.slice(dot + 1));
        return k < 0 ? undefined : base.data[k];
      }
      if (base?.kind === "atom" || base?.kind === "vector") return temporalFieldValue(name.slice(dot + 1), base);
    }
    return undefined;
  }

  /** Reads a name or raises q's `'name` error. */
  get(name: string, ns = this.ns): Value {
    const v = this.lookup(name, ns);
    if (v === undefined) throw new QError(name);
    return v;
  }

  set(name: string, value: Value, ns = this.ns): void {
    this.vars.set(this.qualify(name, ns), value);
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  delete(fullName: string): boolean {
    return this.vars.delete(fullName);
  }

  /** Root-level user names, in definition order (for `\v`, `key `.`). */
  rootNames(): string[] {
    return [...this.vars.keys()].filter((k) => !k.startsWith("."));
  }

  /**
   * The namespaces `` key ` `` lists: q's own (.z is not listed), then those the session
   * created, in the order their first name was defined.
   */
  namespaceNames(): string[] {
    const out = ["q", "Q", "h", "j", "o"];
    for (const k of this.vars.keys()) {
      const m = /^\.([^.]+)\./.exec(k);
      if (m && m[1] !== "z" && !out.includes(m[1]!)) out.push(m[1]!);
    }
    return out;
  }

  /** A namespace as a dictionary of its direct members, or undefined if none exist. */
  private namespace(prefix: string): Value | undefined {
    const names: string[] = [];
    const values: Value[] = [];
    const p = `${prefix}.`;
    for (const [k, v] of this.vars) {
      if (!k.startsWith(p)) continue;
      const rest = k.slice(p.length);
      const dot = rest.indexOf(".");
      if (dot < 0) {
        names.push(rest);
        values.push(v);
      } else if (!names.includes(rest.slice(0, dot))) {
        // A deeper name (.a.b.c) makes b a namespace inside .a.
        const sub = this.namespace(`${prefix}.${rest.slice(0, dot)}`);
        if (sub !== undefined) {
          names.push(rest.slice(0, dot));
          values.push(sub);
        }
      }
    }
    if (names.length === 0) return undefined;
    return dict(syms(["", ...names]), list([IDENTITY, ...values]));
  }
}

const MS_PER_DAY = 86_400_000;
/** 2000.01.01 (q's epoch) in Unix milliseconds. */
const EPOCH_MS = 946_684_800_000;

/**
 * The clock names: lower case UTC, upper case local time (code.kx.com/q/ref/dotz):
 * .z.d/.z.D date, .z.t/.z.T time, .z.p/.z.P timestamp, .z.n/.z.N timespan, .z.z/.z.Z datetime.
 */
export function clockValue(name: string, nowMs = Date.now()): Value | undefined {
  if (name.length !== 4 || !name.startsWith(".z.")) return undefined;
  const c = name[3]!;
  if (!"dDtTpPnNzZ".includes(c)) return undefined;
  const local = c === c.toUpperCase();
  const ms = nowMs - EPOCH_MS - (local ? new Date(nowMs).getTimezoneOffset() * 60_000 : 0);
  const dayMs = ((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  switch (c.toLowerCase()) {
    case "d":
      return atom(14, Math.floor(ms / MS_PER_DAY));
    case "t":
      return atom(19, dayMs);
    case "p":
      return atom(12, BigInt(ms) * 1_000_000n);
    case "n":
      return atom(16, BigInt(dayMs) * 1_000_000n);
    default:
      return atom(15, ms / MS_PER_DAY);
  }
}

function memberOf(d: Value, key: string): Value | undefined {
  if (d.kind !== "dict" || d.keys.kind !== "vector" || d.keys.type !== 11) return undefined;
  const i = (d.keys.data as string[]).indexOf(key);
  if (i < 0) return undefined;
  const vals = d.values;
  if (vals.kind === "list") return vals.items[i];
  return vals.kind === "vector" ? index(vals, i) : undefined;
}
