/**
 * Finds accounts by a typed name without ever guessing. Pure.
 *
 * 1. An account id, or a display name equal to the query once case, accents, punctuation and
 *    spacing are set aside, always wins ("adatum gmbh" is Adatum GmbH even beside Adatum Ltd).
 * 2. Otherwise names are scored on all their words, legal suffixes included, so "Adatum GmbH"
 *    and "Adatum Ltd" stay two different names; whoever is clearly ahead wins, and several
 *    close ones come back as candidates for the user to pick.
 * 3. Legal suffixes only break ties, never create them: a query that names a legal form
 *    ("Adatum Limited") picks, among close candidates, the only one with the same name in
 *    another spelling of a legal form ("Adatum Ltd"); a brand alone ("Delta") never picks one
 *    of several Delta accounts. A query whose suffix is wrong ("Adatum Corp" for "Adatum GmbH")
 *    is compared without suffixes only when nothing matched with them, and then every equally
 *    close account is a candidate.
 */

export interface Named {
  id: string;
  name: string;
}

export type MatchResult<T> =
  | { kind: 'match'; item: T }
  /** `total` counts every close candidate; `candidates` holds the first `maxCandidates`. */
  | { kind: 'ambiguous'; candidates: T[]; total: number }
  | { kind: 'none' };

/** Legal forms: they say how a company is registered, not which company it is. */
const LEGAL = new Set(['inc', 'incorporated', 'ltd', 'limited', 'llc', 'gmbh', 'corp', 'corporation', 'co', 'company', 'plc', 'ag', 'sa', 'bv', 'nv', 'srl', 'oy', 'ab', 'as', 'pty', 'tbk', 'pt', 'kg', 'se', 'spa']);
/** Words that say nothing about which company is meant, when comparing without suffixes. */
const NOISE = new Set([...LEGAL, 'the', 'group']);

/** Every word of a name: lower case, accents and punctuation gone, "&" read as "and". */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The words that name the company: legal suffixes, "the" and split abbreviations ("S.A.") dropped. */
export function normalise(text: string): string[] {
  const tokens = words(text);
  // Single letters are mostly split abbreviations ("S.A.", "A/S").
  const meaningful = tokens.filter((t) => !NOISE.has(t) && t.length > 1);
  return meaningful.length > 0 ? meaningful : tokens;
}

/** The name without its legal form, for tie-breaking ("Fabrikam Inc." → "fabrikam"). */
function core(text: string): string {
  const tokens = words(text);
  const kept = tokens.filter((t) => !LEGAL.has(t) && t.length > 1);
  return (kept.length > 0 ? kept : tokens).join(' ');
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

/** 0..1 over two word lists; 1 only when they are the same words. */
function tokenListSimilarity(q: string[], c: string[]): number {
  if (q.length === 0 || c.length === 0) return 0;
  if (q.join(' ') === c.join(' ')) return 1;
  // Every query word must find a good partner among the candidate's words.
  const tokenScore = q.reduce((sum, qt) => sum + Math.max(...c.map((ct) => tokenSimilarity(qt, ct))), 0) / q.length;
  // Extra candidate words the query does not mention lower the score a little.
  const coverage = Math.min(1, q.length / c.length);
  const combined = 0.75 * tokenScore + 0.15 * trigramSimilarity(q.join(' '), c.join(' ')) + 0.1 * coverage;
  return Math.min(combined, 0.99);
}

/** 0..1: how well `query` names `candidate`, every word (legal suffixes too) counted. */
export function similarity(query: string, candidate: string): number {
  return tokenListSimilarity(words(query), words(candidate));
}

/** 0..1 with suffixes and noise words left out: the fallback when nothing matched on all words. */
export function looseSimilarity(query: string, candidate: string): number {
  return tokenListSimilarity(normalise(query), normalise(candidate));
}

export interface MatchOptions {
  /** Minimum similarity of a candidate. @default 0.72 */
  threshold?: number;
  /** How far ahead the best candidate must be to win outright. @default 0.08 */
  margin?: number;
  /** Most candidates returned when ambiguous. @default 8 */
  maxCandidates?: number;
}

interface Scored<T> {
  item: T;
  score: number;
}

export function findByName<T extends Named>(query: string, items: readonly T[], options: MatchOptions = {}): MatchResult<T> {
  const { threshold = 0.72, margin = 0.08, maxCandidates = 8 } = options;
  const trimmed = query.trim();
  if (!trimmed) return { kind: 'none' };
  const byId = items.find((i) => i.id.toLowerCase() === trimmed.toLowerCase());
  if (byId) return { kind: 'match', item: byId };

  const typed = words(trimmed).join(' ');
  if (!typed) return { kind: 'none' };
  const exact = items.filter((i) => words(i.name).join(' ') === typed);
  if (exact.length === 1) return { kind: 'match', item: exact[0]! };
  if (exact.length > 1) return ambiguous(exact, maxCandidates);

  let scored = rank(items, (name) => similarity(trimmed, name), threshold);
  if (scored.length === 0) scored = rank(items, (name) => looseSimilarity(trimmed, name), threshold);
  const [best, second] = scored;
  if (!best) return { kind: 'none' };
  if (!second || best.score - second.score >= margin) return { kind: 'match', item: best.item };

  const close = scored.filter((s) => best.score - s.score < margin).map((s) => s.item);
  // The tie-break: the user typed a legal form, and exactly one close candidate is that name
  // with a legal form of its own.
  if (words(trimmed).some((w) => LEGAL.has(w))) {
    const typedCore = core(trimmed);
    const sameCore = close.filter((i) => core(i.name) === typedCore && words(i.name).some((w) => LEGAL.has(w)));
    if (sameCore.length === 1) return { kind: 'match', item: sameCore[0]! };
  }
  return ambiguous(close, maxCandidates);
}

function rank<T extends Named>(items: readonly T[], score: (name: string) => number, threshold: number): Scored<T>[] {
  return items
    .map((item) => ({ item, score: score(item.name) }))
    .filter((s) => s.score >= threshold)
    .sort((a, b) => b.score - a.score || a.item.name.localeCompare(b.item.name) || a.item.id.localeCompare(b.item.id));
}

function ambiguous<T>(candidates: T[], max: number): MatchResult<T> {
  return { kind: 'ambiguous', candidates: candidates.slice(0, max), total: candidates.length };
}
