import type { Slices } from '../engagement';

/** How long the event loop runs one computation before it answers other callbacks. */
export const TURN_MS = 10;

/**
 * Runs a sliced computation (engagement/work-slices.ts) to its end, giving the event loop back
 * after every ~`turnMs` of work. `setImmediate` rather than a timer: pending I/O (a health
 * probe, a status request) is handled, then the work resumes at once, with no clamp of ≥1 ms.
 */
export async function drainAsync<T>(slices: Slices<T>, turnMs = TURN_MS): Promise<T> {
  let turnStart = performance.now();
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
    if (performance.now() - turnStart >= turnMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnStart = performance.now();
    }
  }
}
