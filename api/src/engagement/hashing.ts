/**
 * Hashed ids: persisted partials never hold message ids, conversation ids or addresses in
 * clear text (DESIGN.md §8). 96 bits of SHA-256 in base64url: 16 characters, so a year of a
 * large tenant (millions of ids) has a collision chance far below 1e-15.
 */
import { createHash } from 'node:crypto';

export type HashKind = 'msg' | 'mbxmsg' | 'conv' | 'ical' | 'mbxevt' | 'addr';

export function hashId(salt: string, kind: HashKind, ...parts: string[]): string {
  const h = createHash('sha256');
  h.update(salt);
  h.update('\u0000');
  h.update(kind);
  for (const part of parts) {
    h.update('\u0000');
    h.update(part);
  }
  return h.digest('base64url').slice(0, 16);
}
