/**
 * The customer card's score explanation on the wire (contract/results.ts ScoreExplanation), made
 * from the engine's explanation: each signal's value, percentile, weight and points, plus
 * what changed since the previous run.
 */
import { SCORE_SIGNALS, type ScoreExplanation } from '../contract/results';
import type { ScoreExplanation as EngineExplanation } from '../engagement';
import type { OfficeRow } from '../engagement/types';

export type { ScoreExplanation };

export function toWireExplanation(engine: EngineExplanation | undefined, year: OfficeRow): ScoreExplanation {
  const change = engine?.change ?? year.EngagementScoreChange;
  return {
    score: engine?.score ?? year.EngagementScore,
    signals: engine?.signals
      ? SCORE_SIGNALS.filter((s) => engine.signals![s] !== undefined).map((signal) => {
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
