// kdb+'s IPC message compression (`-18!x`, and `-9!` of what it gives), as the public kdb+ client
// libraries describe it (code.kx.com/q/basics/ipc: messages over 2000 bytes may be compressed).
//
// The format is a byte-oriented LZ scheme. A compressed message keeps the 8-byte header with
// byte 2 set to 1 and its length field holding the compressed length, then the uncompressed
// length (int32, little-endian), then groups of up to eight items, each group led by a flag byte
// whose bits (lowest first) mark its items: a literal byte (bit 0) or a back reference (bit 1) of
// two bytes: a hash (the XOR of two adjacent bytes) naming the last place that pair was seen,
// and how many bytes past the pair to copy. Both sides keep the table of last positions per
// hash in step, so the output matches q's byte for byte.

import { raise } from "../errors";

/** Messages up to this size travel uncompressed. */
export const COMPRESS_ABOVE = 2000;

/** The compressed form of a whole IPC message; undefined when it would not fit in half the size. */
export function compressMessage(msg: Uint8Array): Uint8Array | undefined {
  const n = msg.length;
  const room = n >>> 1;
  const out = new Uint8Array(room);
  if (room < 12 + 17) return undefined;
  out.set(msg.subarray(0, 4));
  out[2] = 1;
  const view = new DataView(out.buffer);
  view.setInt32(8, n, true);
  const seen = new Int32Array(256);
  let bit = 0;
  let flags = 0;
  let flagAt = 12;
  let put = 12;
  let hash = 0;
  // A literal's pair enters the table one step late, so a run never refers to itself.
  let lateHash = 0;
  let latePos = 0;
  let at = 8;
  while (at < n) {
    if (bit === 0) {
      if (put > room - 17) return undefined;
      out[flagAt] = flags;
      flagAt = put++;
      flags = 0;
      bit = 1;
    }
    let literal = at > n - 3;
    let from = 0;
    if (!literal) {
      hash = msg[at]! ^ msg[at + 1]!;
      from = seen[hash]!;
      literal = from === 0 || msg[at] !== msg[from];
    }
    if (latePos > 0) {
      seen[lateHash] = latePos;
      latePos = 0;
    }
    if (literal) {
      lateHash = hash;
      latePos = at;
      out[put++] = msg[at++]!;
    } else {
      seen[hash] = at;
      flags |= bit;
      from += 2;
      at += 2;
      const runStart = at;
      const runEnd = Math.min(at + 255, n);
      while (at < runEnd && msg[from] === msg[at]) {
        at++;
        if (at < runEnd) from++;
      }
      out[put++] = hash;
      out[put++] = at - runStart;
    }
    bit = (bit << 1) & 0xff;
  }
  out[flagAt] = flags;
  view.setInt32(4, put, true);
  return out.slice(0, put);
}

/** The IPC message a compressed one carries (header byte 2 cleared, its real length set). */
export function uncompressMessage(msg: Uint8Array): Uint8Array {
  if (msg.length < 12) raise("badmsg");
  const total = new DataView(msg.buffer, msg.byteOffset, msg.byteLength).getInt32(8, true);
  if (total < 8) raise("badmsg");
  const out = new Uint8Array(total);
  out.set(msg.subarray(0, 8));
  out[2] = 0;
  new DataView(out.buffer).setInt32(4, total, true);
  const seen = new Int32Array(256);
  let at = 12;
  let put = 8;
  let hashed = 8;
  let bit = 0;
  let flags = 0;
  while (put < total) {
    if (at >= msg.length) raise("badmsg");
    if (bit === 0) {
      flags = msg[at++]!;
      bit = 1;
    }
    const isRef = (flags & bit) !== 0;
    let run = 0;
    if (isRef) {
      let from = seen[msg[at++]!]!;
      run = msg[at++]!;
      if (put + 2 + run > total) raise("badmsg");
      out[put++] = out[from++]!;
      out[put++] = out[from++]!;
      for (let k = 0; k < run; k++) out[put + k] = out[from + k]!;
    } else out[put++] = msg[at++]!;
    while (hashed < put - 1) {
      seen[out[hashed]! ^ out[hashed + 1]!] = hashed;
      hashed++;
    }
    if (isRef) {
      put += run;
      hashed = put;
    }
    bit = (bit << 1) & 0xff;
  }
  return out;
}
