/**
 * Long aggregations as bounded slices of work. A computation is a generator that yields after
 * every `SLICE_ITEMS` items (accounts, cells, entries); it holds no I/O and no clock, so the
 * domain stays pure. `drain` runs one to the end at once (tests, the CLI); the API's run path
 * drains it between turns of the event loop (enrichment/drain-async.ts), so `/api/health` and
 * other requests are answered while a run over thousands of accounts aggregates (issue 14).
 */
export type Slices<T> = Generator<void, T, void>;

/**
 * Items between two yields: small enough that a slice stays well under a millisecond, large
 * enough that the generator's resumptions cost nothing measurable; the async driver groups
 * slices into turns of ~10 ms.
 */
export const SLICE_ITEMS = 512;

/** Runs a computation to its end, synchronously. */
export function drain<T>(slices: Slices<T>): T {
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
  }
}
