/**
 * Sliced aggregation: the slices are bounded (a large input yields many times) and resuming them
 * in any rhythm, interleaved with other work, gives exactly the synchronous result.
 */
import { ALICE, BOB, makeContext, makeDirectory, msg, reduceMailboxes } from './__tests__/builders';
import { computeResults, computeResultsSlices } from './compute-results';
import { mergePartials } from './partial';
import { drain, SLICE_ITEMS, type Slices } from './work-slices';

function* counting(n: number): Slices<number> {
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    sum += i;
    if (i % 2 === 0) yield;
  }
  return sum;
}

const SENT = ['2025-03-01T10:00:00Z', '2025-06-01T10:00:00Z', '2025-11-03T09:00:00Z', '2026-01-02T10:00:00Z'];
const CONTACTS = ['jane@fabrikam.com', 'bob@northwind.com', 'ceo@gmail.com', 'stranger@adatum.com'];
/** More emails than three slices hold, over several accounts, months and weeks. */
function largeTenant() {
  const ctx = makeContext();
  const directory = makeDirectory(undefined, ctx);
  const messages = Array.from({ length: 3 * SLICE_ITEMS + 7 }, (_, i) =>
    msg({ from: i % 3 === 0 ? CONTACTS[i % 4] : ALICE.mail, to: i % 3 === 0 ? [ALICE.mail] : [CONTACTS[i % 4]], sent: SENT[i % 4], conv: `c${i % 50}` }),
  );
  const [alice, bob] = reduceMailboxes(ctx, directory, { [ALICE.id]: { messages }, [BOB.id]: { messages: messages.slice(0, 40) } });
  const partial = mergePartials(alice, bob);
  return { ctx, directory, partial };
}

describe('drain', () => {
  it.each([
    [0, 0, 0],
    [1, 1, 0],
    [5, 15, 2],
  ])('when a computation over %i items is drained, then it returns %i after %i yields', (n, sum, yields) => {
    const slices = counting(n);
    let seen = 0;
    let step = slices.next();
    for (; !step.done; step = slices.next()) seen++;
    expect([step.value, seen]).toEqual([sum, yields]);
    expect(drain(counting(n))).toBe(sum);
  });
});

describe('computeResultsSlices', () => {
  it('when a run has more emails than a slice holds, then it yields between slices and its result equals computeResults', () => {
    const { ctx, directory, partial } = largeTenant();
    const expected = computeResults(ctx, directory, partial);
    expect(expected.totals.emailsProcessed).toBeGreaterThan(SLICE_ITEMS);

    // Two runs resumed alternately, as the event loop would interleave them.
    const a = computeResultsSlices(ctx, directory, partial);
    const b = computeResultsSlices(ctx, directory, partial);
    let yields = 0;
    let ra = a.next();
    let rb = b.next();
    while (!ra.done || !rb.done) {
      if (!ra.done) {
        yields++;
        ra = a.next();
      }
      if (!rb.done) rb = b.next();
    }
    expect(yields).toBeGreaterThanOrEqual(3);
    expect(ra.value).toEqual(expected);
    expect(rb.value).toEqual(expected);
  });
});
