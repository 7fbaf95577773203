/**
 * Session limits enforced at the verbs that allocate in one native-heavy step, before they
 * allocate, so an over-large request fails as q's 'wsfull instead of exhausting the isolate.
 * Each guard wraps the session's current definition of the verb (looked up by name) and is
 * installed over it by the interpreter when the session has the matching limit.
 */
import { raise } from "./errors";
import { fitsMemory } from "./limits";
import { count, LONG_NULL, type Value, type VerbDef } from "./values";

type Lookup = (name: string) => VerbDef | undefined;

/** V8 heap one small boxed string costs (object, Uint8Array, buffer, slot): measured ~240 bytes. */
const STRING_ITEM_HEAP_BYTES = 256;

/** Bytes per item of the vector a verb builds from x (pointers for general lists). */
export function itemBytes(x: Value): number {
  if (x.kind !== "atom" && x.kind !== "vector") return 8;
  if (x.type === 1 || x.type === 4 || x.type === 10) return 1;
  if (x.type === 2) return 16;
  if (x.type === 5) return 2;
  if (x.type === 6 || x.type === 8 || x.type === 13 || x.type === 14 || x.type >= 17) return 4;
  return 8;
}

/** `name` redefined as `wrap(original)`; nothing when the verb is unknown. */
function wrapped(lookup: Lookup, name: string, wrap: (def: VerbDef) => Partial<VerbDef>): VerbDef[] {
  const def = lookup(name);
  return def === undefined ? [] : [{ ...def, ...wrap(def) }];
}

/** Checks the size of the vectors that `til`, `#`, `?`, `where` and `,` are about to build. */
export function allocationGuards(lookup: Lookup, maxBytes: number): VerbDef[] {
  const check = (items: number, bytesEach: number) => {
    if (items * bytesEach > maxBytes) raise("wsfull");
  };
  // Items a count (atom) or shape (vector, with 0N for "as many as needed") asks for.
  const size = (v: number | bigint): number => (v === LONG_NULL ? 1 : Math.abs(Number(v)));
  const counts = (x: Value, shapes: boolean): number => {
    if (x.kind === "atom" && x.type >= 5 && x.type <= 7) return size(x.v as number | bigint);
    if (shapes && x.kind === "vector" && x.type >= 5 && x.type <= 7) {
      let n = 1;
      for (let i = 0; i < x.data.length; i++) n *= size(x.data[i] as number | bigint);
      return n;
    }
    return 0;
  };
  return [
    ...wrapped(lookup, "til", (def) => ({
      monadic: (x, ctx) => {
        check(counts(x, false), 8);
        return def.monadic!(x, ctx);
      },
    })),
    ...["#", "?"].flatMap((name) =>
      wrapped(lookup, name, (def) => ({
        dyadic: (x, y, ctx) => {
          check(counts(x, name === "#"), itemBytes(y));
          return def.dyadic!(x, y, ctx);
        },
      })),
    ),
    ...wrapped(lookup, ",", (def) => ({
      dyadic: (x, y, ctx) => {
        check(count(x) + count(y), Math.max(itemBytes(x), itemBytes(y)));
        return def.dyadic!(x, y, ctx);
      },
    })),
    ...wrapped(lookup, "where", (def) => ({
      monadic: (x, ctx) => {
        if (x.kind === "vector" && x.type >= 5 && x.type <= 7) {
          let n = 0;
          for (let i = 0; i < x.data.length; i++) n += Math.max(0, Number(x.data[i]));
          check(n, 8);
        }
        return def.monadic!(x, ctx);
      },
    })),
  ];
}

/**
 * `string` of a long list builds one boxed string per item inside a single loop that never
 * ticks; estimate its heap cost first and refuse what the budget cannot hold.
 */
export function heapGuards(lookup: Lookup, maxHeapBytes: number): VerbDef[] {
  return wrapped(lookup, "string", (def) => ({
    monadic: (x, ctx) => {
      const n = x.kind === "vector" || x.kind === "list" ? count(x) : 0;
      if (!fitsMemory(maxHeapBytes, n * STRING_ITEM_HEAP_BYTES)) raise("wsfull");
      return def.monadic!(x, ctx);
    },
  }));
}
