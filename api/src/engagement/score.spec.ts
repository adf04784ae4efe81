import fc from 'fast-check';
import { bandOf, DEFAULT_WEIGHTS, percentileRanker, reciprocityOf, scoreBucket, type ScoreSignals } from './score';

const signals = (emails: number, meetings: number, breadth: number, recency: number, reciprocity: number): ScoreSignals => ({
  emails,
  meetings,
  breadth,
  recency,
  reciprocity,
});

describe('percentileRanker', () => {
  it.each([
    [[5], 5, 1],
    [[1, 2, 3], 1, 0],
    [[1, 2, 3], 2, 0.5],
    [[1, 2, 3], 3, 1],
    [[2, 2], 2, 0.5],
    [[1, 2, 2, 3], 2, 0.5], // (1 + 0.5·1) / 3
    [[1, 1, 1, 4, 5], 1, 0.25], // (0 + 0.5·2) / 4
    [[1, 1, 1, 4, 5], 5, 1],
  ])('when the population is %j, then pr(%d) = %d', (population, v, expected) => {
    expect(percentileRanker(population)(v)).toBeCloseTo(expected, 12);
  });
});

describe('reciprocityOf', () => {
  it.each([
    [0, 0, 0],
    [3, 0, 0],
    [2, 4, 0.5],
    [4, 2, 0.5],
    [5, 5, 1],
  ])('when From = %d and To = %d, then reciprocity is %d', (from, to, expected) => {
    expect(reciprocityOf(from, to)).toBe(expected);
  });
});

describe('bandOf', () => {
  it.each([
    [100, 'High'],
    [70, 'High'],
    [69, 'Medium'],
    [40, 'Medium'],
    [39, 'Low'],
    [0, 'Low'],
  ])('when the score is %d, then the band is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });
});

describe('scoreBucket', () => {
  it('when one account is active, then every percentile is 1 and the score is 90 + 10·reciprocity', () => {
    const [only] = scoreBucket([signals(3, 0, 2, -5, 0.5)]);
    expect(only.score).toBe(95);
    expect(only.signals.emails).toEqual({ raw: 3, percentile: 1, weight: 0.3, points: 30 });
    expect(only.signals.reciprocity).toEqual({ raw: 0.5, percentile: null, weight: 0.1, points: 5 });
  });

  it('when three accounts differ, then the hand-computed scores follow', () => {
    // emails: 1, 2, 3 → pr 0, .5, 1; meetings all 0 → pr .5 each; breadth 1, 1, 5 → .25, .25, 1;
    // recency −30, −10, −1 → 0, .5, 1; reciprocity 0, 1, .5.
    const [a, b, c] = scoreBucket([signals(1, 0, 1, -30, 0), signals(2, 0, 1, -10, 1), signals(3, 0, 5, -1, 0.5)]);
    // a: 100·(0 + .15 + .0375 + 0 + 0) = 18.75 → 19
    expect(a.score).toBe(19);
    // b: 100·(.15 + .15 + .0375 + .075 + .1) = 51.25 → 51
    expect(b.score).toBe(51);
    // c: 100·(.3 + .15 + .15 + .15 + .05) = 80
    expect(c.score).toBe(80);
  });

  it('when custom weights sum above 1, then the score is still clamped to 100', () => {
    const [only] = scoreBucket([signals(1, 1, 1, 0, 1)], { emails: 1, meetings: 1, breadth: 1, recency: 1, reciprocity: 1 });
    expect(only.score).toBe(100);
  });
});

describe('scoreBucket properties', () => {
  const signalArb = fc.record({
    emails: fc.nat({ max: 50 }),
    meetings: fc.nat({ max: 20 }),
    breadth: fc.nat({ max: 30 }),
    recency: fc.integer({ min: -365, max: 0 }),
    reciprocity: fc.constantFrom(0, 0.25, 0.5, 1),
  });
  const bucketArb = fc.array(signalArb, { minLength: 1, maxLength: 30 });

  it('when any bucket is scored, then every score is an integer in [0, 100]', () => {
    fc.assert(
      fc.property(bucketArb, (bucket) => {
        for (const { score } of scoreBucket(bucket)) {
          expect(Number.isInteger(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('when the input order changes, then each account keeps its score', () => {
    fc.assert(
      fc.property(bucketArb, fc.nat(), (bucket, seed) => {
        const order = bucket.map((_, i) => i).sort((x, y) => ((x * 7919 + seed) % 101) - ((y * 7919 + seed) % 101) || x - y);
        const direct = scoreBucket(bucket).map((r) => r.score);
        const shuffled = scoreBucket(order.map((i) => bucket[i])).map((r) => r.score);
        order.forEach((original, position) => expect(shuffled[position]).toBe(direct[original]));
      }),
    );
  });

  it('when two accounts have equal signals, then they have equal scores', () => {
    fc.assert(
      fc.property(bucketArb, signalArb, (bucket, twin) => {
        const scored = scoreBucket([twin, ...bucket, { ...twin }]);
        expect(scored[0]).toEqual(scored[scored.length - 1]);
      }),
    );
  });

  it('when one account gets more emails, meetings, breadth or recency, then its score never drops', () => {
    fc.assert(
      fc.property(
        bucketArb,
        fc.nat(),
        fc.constantFrom('emails', 'meetings', 'breadth', 'recency') as fc.Arbitrary<'emails' | 'meetings' | 'breadth' | 'recency'>,
        fc.integer({ min: 1, max: 40 }),
        (bucket, pick, signal, more) => {
          const i = pick % bucket.length;
          const before = scoreBucket(bucket, DEFAULT_WEIGHTS)[i].score;
          const raised = bucket.map((s, j) => (j === i ? { ...s, [signal]: Math.min(s[signal] + more, signal === 'recency' ? 0 : Infinity) } : s));
          expect(scoreBucket(raised, DEFAULT_WEIGHTS)[i].score).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });
});

describe('scoreBucket rounding', () => {
  it('when the weighted sum is exactly half a point in decimal, then it rounds up despite float noise', () => {
    // pr(emails) = 0, pr(meetings) = .5, pr(breadth) = .5, pr(recency) = 0: 100·(.15 + .075) = 22.5 → 23.
    const [low] = scoreBucket([signals(1, 0, 2, -14, 0), signals(2, 0, 2, -4, 0)]);
    expect(low.score).toBe(23);
  });
});
