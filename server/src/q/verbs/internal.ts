// The internal functions `-n!x` that make sense without files or sockets
// (code.kx.com/q/basics/internal): -4! tokens, -8!/-9! IPC serialisation, -18! compressed
// (ipc-compress.ts), -22! its size,
// -27! fixed-decimal text, -33! SHA-1. (-3! and -5! need the session: interp.ts.)
//
// Serialisation follows q's IPC format (code.kx.com/q/basics/ipc): an 8-byte header
// (little-endian flag 1, message type, two unused bytes, total length as int32), then the
// value: type byte; atoms their payload; vectors an attribute byte, an int32 count and the
// items; symbols NUL-terminated; general lists items in turn; dictionaries type 99, keys
// then values; tables type 98, attribute byte, then the column dictionary.

import { createHash } from "node:crypto";
import { raise } from "../errors";
import { lex } from "../lexer";
import {
  atom,
  count,
  decodeBytes,
  dict,
  encodeText,
  index,
  list,
  rawList,
  str,
  syms,
  table,
  textOf,
  type Value,
  vector,
  vectorOf,
} from "../values";
import { COMPRESS_ABOVE, compressMessage, uncompressMessage } from "./ipc-compress";

/** Bytes per item of each vector type (0: variable, symbols). */
const WIDTH = [0, 1, 16, 0, 1, 2, 4, 8, 4, 8, 1, 0, 8, 4, 4, 8, 8, 4, 4, 4];
const ATTRS = ["", "s", "u", "p", "g"];

class Writer {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  int(n: number): void {
    this.room(4);
    this.view.setInt32(this.length, n, true);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** One item of a typed value. */
  item(type: number, v: unknown): void {
    const w = WIDTH[type]!;
    this.room(Math.max(w, 1));
    const at = this.length;
    if (type === 11) this.bytes(encodeText(`${v as string}\0`));
    else if (type === 2) this.bytes(v as Uint8Array);
    else {
      this.write(type, w, at, v);
      this.length += w;
    }
  }
  private write(type: number, w: number, at: number, v: unknown): void {
    if (w === 1) this.buf[at] = v as number;
    else if (w === 2) this.view.setInt16(at, v as number, true);
    else if (type === 8) this.view.setFloat32(at, v as number, true);
    else if (type === 9 || type === 15) this.view.setFloat64(at, v as number, true);
    else if (w === 4) this.view.setInt32(at, v as number, true);
    else this.view.setBigInt64(at, BigInt(v as number | bigint), true);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function write(w: Writer, v: Value, tick: () => void): void {
  tick();
  switch (v.kind) {
    case "atom":
      w.byte(256 - v.type);
      w.item(v.type, v.v);
      return;
    case "vector": {
      w.byte(v.type);
      w.byte(ATTRS.indexOf(v.attr ?? ""));
      const n = count(v);
      w.int(n);
      for (let i = 0; i < n; i++) {
        if ((i & 1023) === 0) tick();
        w.item(v.type, (index(v, i) as { v: unknown }).v);
      }
      return;
    }
    case "list":
      w.byte(0);
      w.byte(0);
      w.int(v.items.length);
      for (const x of v.items) write(w, x, tick);
      return;
    case "dict":
      w.byte(99);
      write(w, v.keys, tick);
      write(w, v.values, tick);
      return;
    case "table":
      w.byte(98);
      w.byte(0);
      write(w, dict(syms(v.columns), rawList(v.data)), tick);
      return;
    case "identity":
      w.byte(101);
      w.byte(0);
      return;
    default:
      raise("type");
  }
}

/** Bytes of x in IPC form, without the header: what -22! counts without building it. */
function sizeOf(v: Value): number {
  switch (v.kind) {
    case "atom":
      return 1 + (v.type === 11 ? encodeText(v.v as string).length + 1 : WIDTH[v.type]!);
    case "vector":
      if (v.type !== 11) return 6 + count(v) * WIDTH[v.type]!;
      return 6 + (v.data as string[]).reduce((n, x) => n + encodeText(x).length + 1, 0);
    case "list":
      return v.items.reduce((n, x) => n + sizeOf(x), 6);
    case "dict":
      return 1 + sizeOf(v.keys) + sizeOf(v.values);
    case "table":
      return 2 + sizeOf(dict(syms(v.columns), rawList(v.data)));
    case "identity":
      return 2;
    default:
      return raise("type");
  }
}

/** `-8!x`: the IPC message that carries x. */
export function serialise(v: Value, tick: () => void = () => {}): Value {
  const w = new Writer();
  w.bytes(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
  write(w, v, tick);
  const out = w.done();
  new DataView(out.buffer).setInt32(4, out.length, true);
  return vector(4, out);
}

class Reader {
  private at = 8;
  private readonly view: DataView;
  constructor(private readonly b: Uint8Array) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (b.length < 8 || b[0] !== 1) raise("badmsg");
  }
  private need(n: number): number {
    if (this.at + n > this.b.length) raise("badmsg");
    const at = this.at;
    this.at += n;
    return at;
  }
  byte = (): number => this.b[this.need(1)]!;
  int = (): number => this.view.getInt32(this.need(4), true);
  item(type: number): number | bigint | string | Uint8Array {
    if (type === 11) {
      const end = this.b.indexOf(0, this.at);
      if (end < 0) raise("badmsg");
      const s = decodeBytes(this.b.subarray(this.at, end));
      this.at = end + 1;
      return s;
    }
    const w = WIDTH[type] ?? raise("badmsg");
    const at = this.need(w);
    if (type === 2) return this.b.slice(at, at + 16);
    if (w === 1) return this.b[at]!;
    if (w === 2) return this.view.getInt16(at, true);
    if (type === 8) return this.view.getFloat32(at, true);
    if (type === 9 || type === 15) return this.view.getFloat64(at, true);
    if (w === 4) return this.view.getInt32(at, true);
    const n = this.view.getBigInt64(at, true);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  value(): Value {
    const t = this.byte();
    if (t >= 237) return atom(256 - t, this.item(256 - t));
    if (t >= 1 && t <= 19) {
      const attr = ATTRS[this.byte()] as "s" | "u" | "p" | "g" | "";
      const n = this.int();
      const vals = Array.from({ length: n }, () => this.item(t));
      const v = vectorOf(t, vals);
      return attr === "" ? v : { ...v, attr };
    }
    if (t === 0) {
      this.byte();
      const n = this.int();
      return list(Array.from({ length: n }, () => this.value()));
    }
    if (t === 99) {
      const keys = this.value();
      return dict(keys, this.value());
    }
    if (t === 98) {
      this.byte();
      const d = this.value();
      if (d.kind !== "dict" || d.values.kind !== "list") return raise("badmsg");
      return table(
        Array.from({ length: count(d.keys) }, (_, i) => (index(d.keys, i) as { v: string }).v),
        d.values.items,
      );
    }
    if (t === 101) {
      this.byte();
      return { kind: "identity" };
    }
    return raise("badmsg");
  }
}

/** `-9!bytes`: the value an IPC message carries, compressed (`-18!x`) or not. */
export function deserialise(b: Value): Value {
  if (b.kind !== "vector" || b.type !== 4) return raise("type");
  const msg = b.data as Uint8Array;
  return new Reader(msg.length >= 8 && msg[2] === 1 ? uncompressMessage(msg) : msg).value();
}

/** `-18!x`: x's IPC message, compressed as q compresses one over 2000 bytes. */
function compressed(x: Value, tick: () => void): Value {
  const msg = serialise(x, tick);
  const bytes = msg.kind === "vector" ? (msg.data as Uint8Array) : raise("type");
  const packed = bytes.length > COMPRESS_ABOVE ? compressMessage(bytes) : undefined;
  return packed === undefined ? msg : vector(4, packed);
}

/** `-4!s`: q's tokens of a string, whitespace runs as tokens of their own. */
function tokens(s: string): Value {
  const out: string[] = [];
  let at = 0;
  for (const t of lex(s).tokens) {
    if (t.kind === "eof") break;
    if (t.start > at) out.push(s.slice(at, t.start));
    out.push(s.slice(t.start, t.end));
    at = t.end;
  }
  if (at < s.length) out.push(s.slice(at));
  return list(out.map(str));
}

/** `-27!(n;x)`: floats as text with n decimals. */
function fixedText(x: Value): Value {
  if (x.kind !== "list" || x.items.length !== 2) return raise("type");
  const [n, v] = x.items as [Value, Value];
  const d = n.kind === "atom" && n.type === 6 ? (n.v as number) : raise("type");
  const one = (f: Value): Value => str((Number((f as { v: number }).v) as number).toFixed(d));
  if (v.kind === "atom") return one(v);
  return list(Array.from({ length: count(v) }, (_, i) => one(index(v, i))));
}

/** The `-n!x` internal functions of this file; undefined for any other n. */
export function internal(n: number, x: Value, tick: () => void): Value | undefined {
  switch (n) {
    case -4:
      return tokens(textOf(x));
    case -8:
      return serialise(x, tick);
    case -9:
      return deserialise(x);
    case -18:
      return compressed(x, tick);
    case -22:
      return atom(7, 8 + sizeOf(x));
    case -27:
      return fixedText(x);
    case -33:
      return vector(4, new Uint8Array(createHash("sha1").update(textOf(x)).digest()));
    default:
      return undefined;
  }
}
