/**
 * The sharded merge gives exactly the rows of the single merged partial, whatever the number of
 * shards, the order of mailboxes, and whether the shards wait in memory or on disk.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import fc from 'fast-check';
import { createSpillStore } from '../enrichment/spill-store';
import { tenantArb } from './__tests__/arbitraries';
import { ALICE, BOB, CAROL, makeContext, makeDirectory, msg, reduceMailboxes } from './__tests__/builders';
import { computeResults } from './compute-results';
import { emptyPartial, mergeInto, type MailboxPartial } from './partial';
import { memorySpillStore, shardOf, ShardedMerge, type SpillStore } from './sharded-merge';
import { drain } from './work-slices';

const ctx = makeContext();
const directory = makeDirectory();

function sharded(partials: ReturnType<typeof reduceMailboxes>, shards: number, store: SpillStore = memorySpillStore()) {
  const merge = new ShardedMerge(store, shards);
  for (const p of partials) merge.add(p);
  try {
    return drain(merge.resultsSlices(ctx, directory));
  } finally {
    store.dispose();
  }
}

describe('ShardedMerge', () => {
  it('when mailboxes are merged through 1, 3 or 64 shards, in any order, then the results equal the single merge', () => {
    fc.assert(
      fc.property(tenantArb, fc.constantFrom(1, 3, 64), fc.constantFrom([0, 1, 2], [2, 1, 0]), ([a, b, c], shards, order) => {
        const partials = reduceMailboxes(ctx, directory, { [ALICE.id]: a, [BOB.id]: b, [CAROL.id]: c });
        const expected = computeResults(ctx, directory, partials.reduce((acc, p) => mergeInto(acc, p), emptyPartial()));
        const fresh = reduceMailboxes(ctx, directory, { [ALICE.id]: a, [BOB.id]: b, [CAROL.id]: c });
        expect(sharded(order.map((i) => fresh[i]!), shards)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('when the reply and the email it answers fall in different shards, then the reply latency is still counted', () => {
    // Jane replies to Alice: the latency needs the conversation's timeline, which lives in the
    // conversation's shard, not in the reply's key shard.
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ imid: '<a@x>', from: ALICE.mail, to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-02T10:00:00Z' }),
          msg({ imid: '<b@x>', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-02T12:00:00Z' }),
        ],
      },
    };
    const expected = computeResults(ctx, directory, reduceMailboxes(ctx, directory, data)[0]!);
    expect(expected.rows.find((r) => r.AggregationLevel === 'year' && r.AccountId === 'FAB')?.AverageDuration_Of_AccountEmailReplies).toBe(2);
    for (const shards of [2, 5, 64]) expect(sharded(reduceMailboxes(ctx, directory, data), shards)).toEqual(expected);
  });

  it('when keys share their first bytes, then their copies are still merged key by key', () => {
    // Shard lines are ordered by a 6-byte prefix first; equal prefixes fall back to the bytes.
    const rename = (p: MailboxPartial): MailboxPartial => ({ ...p, emails: new Map([...p.emails].map(([k, e]) => [`SAMEPREFIX${k}`, e])) });
    fc.assert(
      fc.property(tenantArb, ([a, b, c]) => {
        const data = { [ALICE.id]: a, [BOB.id]: b, [CAROL.id]: c };
        const expected = computeResults(ctx, directory, reduceMailboxes(ctx, directory, data).map(rename).reduce((acc, p) => mergeInto(acc, p), emptyPartial()));
        expect(sharded(reduceMailboxes(ctx, directory, data).map(rename), 1)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('when the store spills to disk, then the results are the same and the folder is gone afterwards', () => {
    const parentDir = os.tmpdir();
    const before = readdirSync(parentDir).filter((n) => n.startsWith('rapport-spill-')).length;
    fc.assert(
      fc.property(tenantArb, ([a, b, c]) => {
        const data = { [ALICE.id]: a, [BOB.id]: b, [CAROL.id]: c };
        const expected = computeResults(ctx, directory, reduceMailboxes(ctx, directory, data).reduce((acc, p) => mergeInto(acc, p), emptyPartial()));
        const store = createSpillStore({ budgetBytes: 200, parentDir });
        expect(sharded(reduceMailboxes(ctx, directory, data), 4, store)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(parentDir).filter((n) => n.startsWith('rapport-spill-')).length).toBe(before);
  });

  it.each([
    ['AAAAAAAAAAAAAAAA', 64],
    ['9SEB5FMEoTkvCvD_', 64],
    ['k', 3],
    ['', 7],
  ])('when %j is sharded %d ways, then its shard is stable and in range', (key, shards) => {
    const shard = shardOf(key, shards);
    expect(shard).toBe(shardOf(key, shards));
    expect(shard).toBeGreaterThanOrEqual(0);
    expect(shard).toBeLessThan(shards);
  });
});
