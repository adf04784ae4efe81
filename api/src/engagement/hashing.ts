/**
 * Hashed ids: persisted partials never hold message ids, conversation ids or addresses in
 * clear text (DESIGN.md §8). 96 bits of SHAKE256 (SHA-3) in base64url: 16 characters, so a year
 * of a large tenant (millions of ids) has a collision chance far below 1e-15.
 *
 * SHAKE256 is asked for exactly 12 bytes, so the 16-character string is Node's own output: half
 * the cost of SHA-256 into a Buffer re-encoded (hashing is the reduction's largest single cost,
 * issue 12), and no slice of a longer digest that would keep the whole digest alive behind each
 * key (V8 sliced strings). Changing the scheme changes every stored key: COUNTING_RULES_VERSION
 * (incremental-collection.ts) is part of the state's reduction key, so older state is rebuilt.
 */
import { hash } from 'node:crypto';

export type HashKind = 'msg' | 'mbxmsg' | 'conv' | 'ical' | 'mbxevt' | 'addr';

const DIGEST = { outputEncoding: 'base64url', outputLength: 12 } as const;

// `crypto.hash` takes `outputLength` from Node 24 on; an older Node would fail on the first id
// with a bare type error, so say what to fix at once.
try {
  hash('shake256', '', DIGEST);
} catch {
  throw new Error(`Rapport needs Node.js 24.9 or newer (package.json "engines"); this is Node ${process.version}. Run it with npm scripts, which use the node devDependency, or install Node 24.`);
}

export function hashId(salt: string, kind: HashKind, ...parts: string[]): string {
  return hash('shake256', `${salt}\u0000${kind}\u0000${parts.join('\u0000')}`, DIGEST);
}
