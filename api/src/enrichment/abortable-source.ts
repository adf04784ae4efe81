/**
 * A run that an admin cancels must stop promptly, but a Graph source can sit in one call for a
 * long time: a page of 1,000 messages, or a throttled request waiting out a `Retry-After` of
 * minutes. The source's own calls take no signal, so this decorator races every call and every
 * page against it: once the signal aborts, the run's await rejects with the abort reason at
 * once, no further request is started, and an iterator is told to return. A request already on
 * the wire finishes in the background and its answer is dropped (its rejection stays handled,
 * because `Promise.race` subscribed to it).
 */
import type { GraphEvent, GraphMessage, SelectedMailbox } from '../engagement/types';
import type { ActivitySource } from './ports';

/** Resolves or rejects as `work` does, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work(), aborted]).finally(() => signal.removeEventListener('abort', onAbort!));
}

async function* abortablePages<T>(signal: AbortSignal, pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await raceAbort(signal, () => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: a generator still inside the abandoned request would hold this up.
    if (signal.aborted) void iterator.return?.()?.catch(() => undefined);
  }
}

/** `source`, with every call and page raced against `signal`. */
export function abortableSource(source: ActivitySource, signal: AbortSignal): ActivitySource {
  return {
    organization: () => raceAbort(signal, () => source.organization()),
    resolveMailboxes: (entries: string[]) => raceAbort(signal, () => source.resolveMailboxes(entries)),
    folderScan: (mailbox: SelectedMailbox) => raceAbort(signal, () => source.folderScan(mailbox)),
    messagePages: (mailbox: SelectedMailbox, from: Date, to: Date): AsyncIterable<GraphMessage[]> => abortablePages(signal, source.messagePages(mailbox, from, to)),
    eventPages: (mailbox: SelectedMailbox, start: Date, end: Date): AsyncIterable<GraphEvent[]> => abortablePages(signal, source.eventPages(mailbox, start, end)),
    probeMailboxAccess: (mailbox: SelectedMailbox) => raceAbort(signal, () => source.probeMailboxAccess(mailbox)),
    stats: () => source.stats(),
  };
}
