/**
 * The customer card's score explanation on the wire (docs/api.md: ScoreExplanation), made
 * from the engine's explanation: each signal's value, percentile, weight and points, plus
 * what changed since the previous run.
 */
import type { ScoreExplanation as EngineExplanation } from '../engagement';
import type { EngagementBand, OfficeRow } from '../engagement/types';

export type ScoreSignalName = 'emails' | 'meetings' | 'breadth' | 'recency' | 'reciprocity';
const SIGNAL_ORDER: ScoreSignalName[] = ['emails', 'meetings', 'breadth', 'recency', 'reciprocity'];

export interface ScoreExplanation {
  score: number;
  signals: { signal: ScoreSignalName; value: number; percentile: number | null; weight: number; points: number }[];
  /** Extra fields. */
  band: EngagementBand;
  active: boolean;
  previousScore: number | null;
  change: number | null;
}

export function toWireExplanation(engine: EngineExplanation | undefined, year: OfficeRow): ScoreExplanation {
  const change = engine?.change ?? year.EngagementScoreChange;
  return {
    score: engine?.score ?? year.EngagementScore,
    signals: engine?.signals
      ? SIGNAL_ORDER.filter((s) => engine.signals![s] !== undefined).map((signal) => {
          const c = engine.signals![signal];
          return { signal, value: c.raw, percentile: c.percentile, weight: c.weight, points: c.points };
        })
      : [],
    band: engine?.band ?? year.EngagementBand,
    active: engine?.active ?? false,
    previousScore: engine?.previousScore ?? (change === null ? null : year.EngagementScore - change),
    change,
  };
}
