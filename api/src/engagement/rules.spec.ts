import * as engagement from './index';

describe('defaultRules', () => {
  it('when no rules are configured, then stale is 60 days, suppressed by upcoming meetings, with default weights and no exclusions', () => {
    expect(engagement.defaultRules()).toEqual({
      extraInternalDomains: [],
      exclusions: [],
      staleDays: 60,
      upcomingMeetingSuppressesStale: true,
      weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 },
    });
  });

  it('when called twice, then each call returns a fresh object (callers may edit it)', () => {
    const a = engagement.defaultRules();
    a.weights.emails = 1;
    expect(engagement.defaultRules().weights.emails).toBe(0.3);
  });

  it('when the index is imported, then the public API is there', () => {
    for (const name of ['buildAccountDirectory', 'createMailboxReducer', 'emptyPartial', 'mergePartials', 'mergeInto', 'serializePartial', 'deserializePartial', 'computeResults', 'evaluateRule', 'isStale', 'staleRule', 'computeMeasure', 'computeMeasureByMonth', 'normaliseAddress', 'isInternal', 'isExcluded', 'isFreemailDomain']) {
      expect(typeof (engagement as Record<string, unknown>)[name]).not.toBe('undefined');
    }
  });
});
