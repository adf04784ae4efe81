/**
 * Calendar collection: `calendarView` instances, allow-listed, in chunks (DESIGN.md §5).
 * Calendar delta is not used: it cannot take `$select`.
 */
import type { GraphEvent, SelectedMailbox } from '../engagement/types';
import type { GraphClient } from './client';
import { type GraphGet, pages } from './paging';
import { eventSchema } from './schemas';
import { EVENT_FIELDS, selectParam } from './select';

/** calendarView serves at most this many days per request. */
export const MAX_CALENDAR_CHUNK_DAYS = 1825;
export const EVENT_PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;

/** [start, end) cut into consecutive windows of at most `maxDays` days. */
export function calendarChunks(start: Date, end: Date, maxDays = MAX_CALENDAR_CHUNK_DAYS): Array<{ start: Date; end: Date }> {
  const chunks: Array<{ start: Date; end: Date }> = [];
  for (let t = start.getTime(); t < end.getTime(); t += maxDays * DAY_MS) {
    chunks.push({ start: new Date(t), end: new Date(Math.min(t + maxDays * DAY_MS, end.getTime())) });
  }
  return chunks;
}

/**
 * An event's start in epoch ms. With `Prefer: outlook.timezone="UTC"` Graph sends a zone-less
 * local time in UTC. Undefined when the start is missing or not in UTC.
 */
export function eventStartMs(event: GraphEvent): number | undefined {
  const start = event.start;
  if (!start?.dateTime) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(start.dateTime);
  if (!hasOffset && start.timeZone && !/^(UTC|Etc\/UTC|GMT|Coordinated Universal Time)$/i.test(start.timeZone)) return undefined;
  const ms = Date.parse(hasOffset ? start.dateTime : `${start.dateTime}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

export class GraphCalendar {
  constructor(
    private readonly client: Pick<GraphClient, 'buildUrl'>,
    private readonly get: GraphGet,
  ) {}

  /** One calendar instance id, any day: enough to learn whether the calendar may be read. */
  async probe(mailbox: SelectedMailbox): Promise<void> {
    const now = Date.now();
    const url = this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/calendarView`, {
      startDateTime: new Date(now - 30 * DAY_MS).toISOString(),
      endDateTime: new Date(now + 30 * DAY_MS).toISOString(),
      $select: 'id',
      $top: 1,
    });
    await this.get(url);
  }

  /**
   * Calendar instances starting in [start, end), page by page, allow-listed fields only.
   * calendarView returns every instance that overlaps a window, so an instance is kept only in
   * the chunk its start falls in: no instance is yielded twice, and none starts before `start`.
   */
  async *eventPages(mailbox: SelectedMailbox, start: Date, end: Date): AsyncGenerator<GraphEvent[]> {
    for (const chunk of calendarChunks(start, end)) {
      const url = this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/calendarView`, {
        startDateTime: chunk.start.toISOString(),
        endDateTime: chunk.end.toISOString(),
        $select: selectParam(EVENT_FIELDS),
        $top: EVENT_PAGE_SIZE,
      });
      for await (const page of pages(this.get, url, eventSchema, { Prefer: 'outlook.timezone="UTC"' })) {
        const inChunk = page.filter((event) => {
          const ms = eventStartMs(event);
          // An unreadable start is kept: the domain decides, and dropping data silently is worse.
          return ms === undefined || (ms >= chunk.start.getTime() && ms < chunk.end.getTime());
        });
        if (inChunk.length > 0) yield inChunk;
      }
    }
  }
}
