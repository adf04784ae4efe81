/**
 * Finds accounts by a typed name: normalised tokens compared with edit distance, plus
 * character trigrams for the whole string. Pure.
 */

export interface Named {
  id: string;
  name: string;
}

export type MatchResult<T> =
  | { kind: 'match'; item: T }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'none' };

/** Words that say nothing about which company is meant. */
const NOISE = new Set(['the', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'gmbh', 'corp', 'corporation', 'co', 'company', 'plc', 'ag', 'sa', 'bv', 'nv', 'srl', 'oy', 'ab', 'as', 'pty', 'group']);

export function normalise(text: string): string[] {
  const tokens = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  // Single letters are mostly split abbreviations ("S.A.", "A/S").
  const meaningful = tokens.filter((t) => !NOISE.has(t) && t.length > 1);
  return meaningful.length > 0 ? meaningful : tokens;
}

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function tokenSimilarity(query: string, candidate: string): number {
  if (query === candidate) return 1;
  // A typed prefix of at least three letters ("fabr" for "fabrikam") is a strong hint.
  if (query.length >= 3 && candidate.startsWith(query)) return 0.9;
  const longest = Math.max(query.length, candidate.length);
  return 1 - editDistance(query, candidate) / longest;
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function trigramSimilarity(a: string, b: string): number {
  const ga = trigrams(a);
  const gb = trigrams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  return (2 * shared) / (ga.size + gb.size);
}

/** 0..1: how well `query` names `candidate`. */
export function similarity(query: string, candidate: string): number {
  const q = normalise(query);
  const c = normalise(candidate);
  if (q.length === 0 || c.length === 0) return 0;
  if (q.join(' ') === c.join(' ')) return 1;
  // Every query token must find a good partner among the candidate's tokens.
  const tokenScore = q.reduce((sum, qt) => sum + Math.max(...c.map((ct) => tokenSimilarity(qt, ct))), 0) / q.length;
  // Extra candidate tokens the query does not mention lower the score a little.
  const coverage = Math.min(1, q.length / c.length);
  const combined = 0.75 * tokenScore + 0.15 * trigramSimilarity(q.join(' '), c.join(' ')) + 0.1 * coverage;
  return Math.min(combined, 0.99);
}

export interface MatchOptions {
  /** Minimum similarity of a candidate. @default 0.72 */
  threshold?: number;
  /** How far ahead the best candidate must be to win outright. @default 0.08 */
  margin?: number;
  /** Most candidates listed when ambiguous. @default 5 */
  maxCandidates?: number;
}

export function findByName<T extends Named>(query: string, items: T[], options: MatchOptions = {}): MatchResult<T> {
  const { threshold = 0.72, margin = 0.08, maxCandidates = 5 } = options;
  const trimmed = query.trim();
  if (!trimmed) return { kind: 'none' };
  const byId = items.find((i) => i.id.toLowerCase() === trimmed.toLowerCase());
  if (byId) return { kind: 'match', item: byId };

  const scored = items
    .map((item) => ({ item, score: similarity(trimmed, item.name) }))
    .filter((s) => s.score >= threshold)
    .sort((a, b) => b.score - a.score || a.item.name.localeCompare(b.item.name));
  const [best, second] = scored;
  if (!best) return { kind: 'none' };
  const exact = scored.filter((s) => s.score === 1);
  if (exact.length === 1) return { kind: 'match', item: exact[0]!.item };
  if (exact.length === 0 && (!second || best.score - second.score >= margin)) return { kind: 'match', item: best.item };
  const contenders = exact.length > 1 ? exact : scored.filter((s) => best.score - s.score < margin);
  return { kind: 'ambiguous', candidates: contenders.slice(0, maxCandidates).map((s) => s.item) };
}
