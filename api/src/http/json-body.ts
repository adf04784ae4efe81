/**
 * JSON request bodies, checked before anything parses them: a size cap per route, UTF-8
 * (RFC 8259 §8.1), and a nesting limit. zod validates recursive shapes (segment rules) by
 * recursion, so a rule nested 1,000 levels deep overflowed the stack before the 6-level rule
 * check could run; the raw bytes are scanned here without recursion instead, and the
 * document is refused before JSON.parse or zod see it.
 */
import express, { type RequestHandler } from 'express';
import { AppError } from '../errors';
import { utf8Problem } from '../enrichment/utf8';

/** Deep enough for every body the API takes (a segment rule at its 6-level limit nests 14). */
export const MAX_JSON_DEPTH = 32;

/**
 * Where the nesting of `{`/`[` first goes past `max`, counting only outside strings, or null.
 * It does not check that the JSON is valid: JSON.parse does that next.
 */
export function jsonDepthExceeded(bytes: Uint8Array, max: number): { depth: number; byteOffset: number } | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i += 1; // backslash: skip the escaped byte (\" does not end the string)
      else if (b === 0x22) inString = false;
      continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      depth += 1;
      if (depth > max) return { depth, byteOffset: i };
    } else if (b === 0x7d || b === 0x5d) depth -= 1;
  }
  return null;
}

export interface JsonBodyOptions {
  /** Largest body in bytes. */
  limit: number;
  /** @default MAX_JSON_DEPTH */
  maxDepth?: number;
}

/** express.json with the checks above in its `verify` hook, which runs on the raw bytes before the parse. */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return express.json({
    limit: options.limit,
    verify: (_req, _res, buf, encoding) => {
      if (encoding.toLowerCase() !== 'utf-8') {
        throw new AppError('ENCODING_INVALID', `body: JSON must be sent as UTF-8 (the Content-Type says charset=${encoding}).`, { charset: encoding });
      }
      const bad = utf8Problem(buf);
      if (bad) {
        throw new AppError('ENCODING_INVALID', `body: the JSON is not valid UTF-8 at byte ${bad.byteOffset}; send it as UTF-8.`, { byteOffset: bad.byteOffset });
      }
      const deep = jsonDepthExceeded(buf, maxDepth);
      if (deep) {
        throw new AppError(
          'JSON_TOO_DEEP',
          `body: the JSON nests deeper than ${maxDepth} levels (at byte ${deep.byteOffset}); send a flatter document (segment rules nest at most 6 groups).`,
          { maxDepth, byteOffset: deep.byteOffset },
        );
      }
    },
  });
}
