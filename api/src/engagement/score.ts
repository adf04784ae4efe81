/**
 * The default engagement score (DESIGN.md §4): percentile ranks among a bucket's active
 * accounts, weighted. Pure; inputs are the signals of the active accounts of one bucket.
 */
import type { EngagementBand, ScoreWeights } from './types';

export interface ScoreSignals {
  /** NoOfEmails_ToAccount + NoOfEmails_FromAccount. */
  emails: number;
  /** NoOfMeetings_ToAccount + NoOfMeetings_FromAccount. */
  meetings: number;
  /** The sum of the four people counts. */
  breadth: number;
  /** −min(DaysSinceLastemail, DaysSinceLastMeeting), nulls ignored. */
  recency: number;
  /** min(From, To) / max(From, To) of emails; 0 when both are 0. */
  reciprocity: number;
}

export const SIGNALS = ['emails', 'meetings', 'breadth', 'recency', 'reciprocity'] as const;
export type SignalName = (typeof SIGNALS)[number];
/** Signals that enter the score through their percentile rank; reciprocity enters as is. */
const RANKED: readonly SignalName[] = ['emails', 'meetings', 'breadth', 'recency'];

export interface SignalContribution {
  raw: number;
  /** The percentile rank among the bucket's active accounts; null for reciprocity (used as is). */
  percentile: number | null;
  weight: number;
  /** 100 × weight × (percentile, or the ratio for reciprocity), one decimal. */
  points: number;
}

export interface ScoreBreakdown {
  score: number;
  signals: Record<SignalName, SignalContribution>;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 };

export function reciprocityOf(from: number, to: number): number {
  const max = Math.max(from, to);
  return max === 0 ? 0 : Math.min(from, to) / max;
}

/** Index of the first element ≥ v (or > v when `strict`) in an ascending array. */
function bound(sorted: Float64Array, v: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (strict && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * pr(v) = (#{u < v} + 0.5·(#{u = v} − 1)) / (n − 1) over `population` (which holds v), and 1
 * when n = 1. Sorting once and binary-searching keeps a bucket of n accounts O(n log n).
 */
export function percentileRanker(population: readonly number[]): (v: number) => number {
  const sorted = Float64Array.from(population).sort();
  const n = sorted.length;
  return (v) => {
    if (n <= 1) return 1;
    const below = bound(sorted, v, false);
    const equal = bound(sorted, v, true) - below;
    return (below + 0.5 * (equal - 1)) / (n - 1);
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Scores every active account of one bucket; the result is in input order. */
export function scoreBucket(active: readonly ScoreSignals[], weights: ScoreWeights = DEFAULT_WEIGHTS): ScoreBreakdown[] {
  const rankers = Object.fromEntries(RANKED.map((name) => [name, percentileRanker(active.map((s) => s[name]))])) as Record<
    SignalName,
    (v: number) => number
  >;
  return active.map((signals) => {
    let total = 0;
    const contributions = {} as Record<SignalName, SignalContribution>;
    for (const name of SIGNALS) {
      const percentile = name === 'reciprocity' ? null : rankers[name](signals[name]);
      const factor = percentile ?? signals.reciprocity;
      const share = weights[name] * factor;
      total += share;
      contributions[name] = { raw: signals[name], percentile, weight: weights[name], points: round1(100 * share) };
    }
    // Clamped so custom weights summing above 1 still give a score in [0, 100].
    // Rounded to 1e-6 first so float noise cannot flip a half: 0.15 + 0.075 is 0.22499999…,
    // which must give 23 like 67.5 gives 68. Both roundings are monotone, so the score stays monotone.
    const score = Math.min(100, Math.max(0, Math.round(Math.round(100 * total * 1e6) / 1e6)));
    return { score, signals: contributions };
  });
}

export function bandOf(score: number): EngagementBand {
  return score >= 70 ? 'High' : score >= 40 ? 'Medium' : 'Low';
}
