import { DEFAULT_WEIGHTS } from './score';
import type { EngagementRules } from './types';

/** The default rules: stale after 60 days, an upcoming meeting suppresses stale, default weights, no exclusions. */
export function defaultRules(): EngagementRules {
  return {
    extraInternalDomains: [],
    exclusions: [],
    staleDays: 60,
    upcomingMeetingSuppressesStale: true,
    weights: { ...DEFAULT_WEIGHTS },
  };
}
