/**
 * A JSON reader that remembers where each value starts, so schema errors can
 * name the line of the offending key instead of just a path. It accepts
 * exactly RFC 8259 JSON (what JSON.parse accepts) and throws `JsonSyntaxError`
 * with the offset of the first bad character; `JSON.parse` itself does not
 * report positions the same way across Node versions.
 */

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Path segments joined with "\u0000" -> offset of the key (or value for array items and the root). */
export type JsonLocations = Map<string, number>;

export const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join("\u0000");

export function parseJsonWithLocations(text: string): { value: unknown; locations: JsonLocations } {
  const locations: JsonLocations = new Map();
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `unexpected end of JSON (${what})` : `${what}`, i);
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("control character in string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail("bad escape in string");
    }
  };
  const value = (path: PropertyKey[], at: number): unknown => {
    ws();
    if (!locations.has(pathKey(path))) locations.set(pathKey(path), at < 0 ? i : at);
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted key at ${JSON.stringify(text[i] ?? "")}`);
        const keyAt = i;
        const key = str();
        ws();
        if (text[i] !== ":") fail("expected ':' after key");
        i++;
        out[key] = value([...path, key], keyAt);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value([...path, out.length], -1));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (m === null) return fail(`unexpected ${JSON.stringify(c ?? "")}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const v = value([], -1);
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");
  return { value: v, locations };
}

/** Offset of the deepest known prefix of `path` (a missing key points at its parent object). */
export function locate(locations: JsonLocations, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const at = locations.get(pathKey(path.slice(0, n)));
    if (at !== undefined) return at;
  }
  return 0;
}
