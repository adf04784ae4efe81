/**
 * Hashed ids: persisted partials never hold message ids, conversation ids or addresses in
 * clear text (DESIGN.md §8). 96 bits of SHA-256 in base64url: 16 characters, so a year of a
 * large tenant (millions of ids) has a collision chance far below 1e-15.
 */
import { hash } from 'node:crypto';

export type HashKind = 'msg' | 'mbxmsg' | 'conv' | 'ical' | 'mbxevt' | 'addr';

export function hashId(salt: string, kind: HashKind, ...parts: string[]): string {
  // Encoding 12 bytes gives a fresh 16-character string; slicing a longer digest would keep
  // the whole digest string alive behind each key (V8 sliced strings).
  return hash('sha256', `${salt}\u0000${kind}\u0000${parts.join('\u0000')}`, 'buffer').toString('base64url', 0, 12);
}
