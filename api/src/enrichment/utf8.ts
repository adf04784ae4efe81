/**
 * UTF-8 checks that say where a file goes wrong. Node's decoders replace bad bytes with U+FFFD
 * without a word, so a Latin-1 export would be stored with its accents turned into "�"; these
 * functions find the first ill-formed sequence instead, by byte offset, so the message can
 * point at it. `isUtf8` (C++) checks the bytes; the scan below runs only to find the offset.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import type { AppError } from '../errors';

/**
 * The offset of the first byte of the first ill-formed sequence (Unicode Table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1 when every byte is well formed.
 * A sequence cut off by the end of `bytes` is ill-formed: pass whole sequences.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (bytes[i]! < 0x80) {
      i += 1;
      continue;
    }
    const end = utf8SequenceEnd(bytes, i, n);
    if (end < 0) return i;
    i = end;
  }
  return -1;
}

/**
 * The end of the well-formed multi-byte sequence that starts at `i` (its lead byte is ≥ 0x80),
 * within `bytes[..limit)`; -1 when it is ill-formed or cut off (Unicode Table 3-7, RFC 3629 §4:
 * no overlong forms, no surrogates, nothing above U+10FFFF).
 */
export function utf8SequenceEnd(bytes: Uint8Array, i: number, limit: number): number {
  const b = bytes[i]!;
  let length: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return -1;
  if (i + length > limit) return -1;
  const second = bytes[i + 1]!;
  if (second < lo || second > hi) return -1;
  for (let k = 2; k < length; k += 1) {
    const c = bytes[i + k]!;
    if (c < 0x80 || c > 0xbf) return -1;
  }
  return i + length;
}

/**
 * How many bytes at the end of `bytes` start a sequence that the next chunk may complete
 * (0–3). Bytes that can never become well formed are left in place for the check to find.
 */
export function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back += 1) {
    const b = bytes[n - back]!;
    if (b >= 0x80 && b <= 0xbf) continue; // a continuation byte: look further back for its lead
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

export interface Utf8Position {
  /** Counted from 0 at the first byte of the input (a BOM included). */
  byteOffset: number;
  /** 1-based physical line (counted by LF bytes). */
  line: number;
}

/**
 * A pass-through stream that fails with ENCODING_INVALID at the first ill-formed byte. The
 * check costs one native `isUtf8` per chunk; sequences split across chunks are carried over.
 */
export class Utf8Guard extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  private lines = 0;

  constructor(private readonly describe: (position: Utf8Position) => AppError) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    const whole = data.subarray(0, data.length - tail);
    if (!isUtf8(whole)) {
      callback(this.failure(whole, invalidUtf8Offset(whole)));
      return;
    }
    this.count(whole);
    this.carry = Buffer.from(data.subarray(whole.length));
    if (whole.length > 0) this.push(whole);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    // A multi-byte sequence cut off by the end of the file.
    callback(this.carry.length > 0 ? this.failure(this.carry, 0) : null);
  }

  private failure(data: Buffer, at: number): AppError {
    this.count(data.subarray(0, Math.max(0, at)));
    return this.describe({ byteOffset: this.offset, line: this.lines + 1 });
  }

  private count(bytes: Buffer): void {
    this.offset += bytes.length;
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) this.lines += 1;
  }
}

/** Where `bytes` (a whole document) first goes wrong, or null when it is well-formed UTF-8. */
export function utf8Problem(bytes: Uint8Array): Utf8Position | null {
  if (isUtf8(bytes)) return null;
  const byteOffset = invalidUtf8Offset(bytes);
  let line = 1;
  for (let i = 0; i < byteOffset; i += 1) if (bytes[i] === 0x0a) line += 1;
  return { byteOffset, line };
}
