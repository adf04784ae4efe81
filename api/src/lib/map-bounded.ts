/**
 * The one bounded worker pool: every loop that runs work over a list with a concurrency cap
 * (a run's mailboxes, its checkpoint reads, the bot's fan-out, injected through its ports)
 * goes through `mapBounded`, so the cap and the error rule are written and tested once.
 */

/**
 * Runs `worker` over `items`, at most `limit` at a time, starting items in order as slots free
 * up, and resolves with the results in the order of `items` (as `Promise.all` does).
 *
 * The first rejection wins, as with `Promise.all`, except that nothing is left running behind
 * the caller's back: once a worker rejects, no further item starts, the workers already
 * running are waited for, and then the promise rejects with that first error (later errors
 * are dropped). A caller that must not stop on one item's failure catches inside `worker`.
 *
 * @param limit a positive integer, or `Infinity` for no cap.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(limit >= 1) || (!Number.isInteger(limit) && limit !== Infinity)) {
    throw new RangeError(`mapBounded: the limit must be a positive integer or Infinity, got ${limit}.`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await worker(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
