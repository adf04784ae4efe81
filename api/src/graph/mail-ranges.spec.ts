/**
 * A mailbox's window read as parallel `receivedDateTime` ranges (mail.ts): every item exactly
 * once, whatever the split points, same-second clusters and page sizes; never more than
 * `parallel` requests in flight; and the sequential chain unchanged with `parallel` 1.
 * In-memory Graph: honours `ge`/`lt`, `$orderby desc`, `$top` and an offset nextLink.
 */
import type { GraphMessage, SelectedMailbox } from '../engagement/types';
import { mulberry32 } from '../simulator/faults';
import { GraphMail } from './mail';
import type { GraphGet } from './paging';

const mailbox: SelectedMailbox = { id: 'u1', mail: 'alice@contoso.com' };
const FROM = Date.parse('2025-01-01T00:00:00Z');
const TO = Date.parse('2026-01-01T00:00:00Z');

interface Item {
  id: string;
  at: number;
}

/** A Graph that serves `items` by the query's filter, newest first, `pageSize` per page. */
function memoryGraph(items: Item[], pageSize: number) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = { buildUrl: (path: string, q: Record<string, string | number | undefined>) => `${path}?${new URLSearchParams(q as Record<string, string>)}` };
  const get: GraphGet = async (url) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const q = new URLSearchParams(url.split('?')[1]);
    const filter = q.get('$filter')!;
    log.push(filter);
    await new Promise((r) => setTimeout(r, 1));
    inFlight -= 1;
    const ge = Date.parse(/ge (\S+)/.exec(filter)![1]!);
    const lt = Date.parse(/lt (\S+)/.exec(filter)![1]!);
    const skip = Number(q.get('$skip') ?? 0);
    const matching = items.filter((m) => m.at >= ge && m.at < lt).sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
    // Graph shows receivedDateTime to the second.
    const value = matching.slice(skip, skip + pageSize).map((m) => ({ id: m.id, internetMessageId: `<${m.id}>`, receivedDateTime: new Date(Math.floor(m.at / 1000) * 1000).toISOString().replace('.000', '') }));
    const more = skip + pageSize < matching.length;
    q.set('$skip', String(skip + pageSize));
    return { value, ...(more ? { '@odata.nextLink': `${url.split('?')[0]}?${q}` } : {}) };
  };
  return { mail: new GraphMail(client, get), log, maxInFlight: () => maxInFlight };
}

async function readAll(mail: GraphMail, parallel: number, onEstimate?: (e: { pagesRead: number; pagesExpected: number }) => void): Promise<GraphMessage[]> {
  const out: GraphMessage[] = [];
  for await (const page of mail.messagePages(mailbox, new Date(FROM), new Date(TO), { parallel, ...(onEstimate ? { onEstimate } : {}) })) out.push(...page);
  return out;
}

function randomItems(seed: number, n: number, shape: 'uniform' | 'recent' | 'clustered'): Item[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const u = rnd();
    let at: number;
    if (shape === 'uniform') at = FROM + u * (TO - FROM);
    else if (shape === 'recent') at = TO - (TO - FROM) * u ** 3; // most mail in the last weeks
    else at = FROM + Math.floor(u * 40) * 7 * 86_400_000 + Math.floor(rnd() * 3) * 1000 + Math.floor(rnd() * 1000); // bursts within seconds
    return { id: `m${i}`, at: Math.floor(at) };
  });
}

describe('GraphMail.messagePages in parallel ranges', () => {
  it.each([
    ['uniform', 1, 3000, 100],
    ['uniform', 2, 2500, 97],
    ['recent', 3, 3000, 100],
    ['clustered', 4, 1500, 40],
    ['clustered', 5, 600, 7],
    ['uniform', 6, 5, 100],
  ] as const)('when %s mail (seed %i, %i items, pages of %i) is read in 4 ranges, then every item comes exactly once, as sequential reading gives it', async (shape, seed, n, pageSize) => {
    // Arrange
    const items = randomItems(seed, n, shape);
    const parallel = memoryGraph(items, pageSize);
    const sequential = memoryGraph(items, pageSize);
    // Act
    const got = await readAll(parallel.mail, 4);
    const want = await readAll(sequential.mail, 1);
    // Assert
    const ids = got.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(items.map((m) => m.id).sort());
    expect(want.map((m) => m.id).sort()).toEqual(ids);
    expect(parallel.maxInFlight()).toBeLessThanOrEqual(4);
    expect(sequential.maxInFlight()).toBe(1);
    if (n / pageSize >= 8) expect(parallel.maxInFlight()).toBe(4);
  });

  it('when parallel is 1, then each page is one keyset query after the other over the whole window', async () => {
    const items = randomItems(9, 250, 'uniform');
    const g = memoryGraph(items, 100);
    await readAll(g.mail, 1);
    expect(g.log).toHaveLength(3);
    expect(g.log.every((f) => f.startsWith('receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt '))).toBe(true);
    expect(g.log[0]).toBe('receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt 2026-01-01T00:00:00.000Z');
  });

  it('when ranges are split, then their borders are whole seconds and each range is half-open', async () => {
    const items = randomItems(11, 2000, 'uniform');
    const g = memoryGraph(items, 100);
    await readAll(g.mail, 4);
    const bounds = g.log.flatMap((f) => [...f.matchAll(/(?:ge|lt) (\S+)/g)].map((m) => Date.parse(m[1]!)));
    expect(bounds.every((ms) => ms % 1000 === 0)).toBe(true);
    expect(new Set(g.log.map((f) => /ge (\S+)/.exec(f)![1])).size).toBeGreaterThan(1);
  });

  it('when pages are read, then the estimate ends with as many pages expected as read, and was a sensible guess early', async () => {
    const items = randomItems(12, 3000, 'uniform');
    const g = memoryGraph(items, 100);
    const estimates: Array<{ pagesRead: number; pagesExpected: number }> = [];
    await readAll(g.mail, 4, (e) => estimates.push(e));
    const last = estimates.at(-1)!;
    expect(last.pagesExpected).toBe(last.pagesRead);
    expect(last.pagesRead).toBe(g.log.length);
    // After the first page, the guess is within a factor of 2 of the truth.
    expect(estimates[0]!.pagesExpected).toBeGreaterThan(last.pagesRead / 2);
    expect(estimates[0]!.pagesExpected).toBeLessThan(last.pagesRead * 2);
  });

  it('when one range fails, then the read fails with its error and the other ranges stop', async () => {
    const items = randomItems(13, 2000, 'uniform');
    const g = memoryGraph(items, 100);
    let calls = 0;
    const failing = new GraphMail(
      { buildUrl: (p, q) => `${p}?${new URLSearchParams(q as Record<string, string>)}` },
      async (url) => {
        calls += 1;
        if (calls === 4) throw new Error('boom');
        return (g.mail as unknown as { get: GraphGet }).get(url);
      },
    );
    await expect(readAll(failing, 4)).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBeLessThan(8);
  });

  it('when the consumer stops early, then no reader keeps reading', async () => {
    const items = randomItems(14, 3000, 'uniform');
    const g = memoryGraph(items, 100);
    for await (const page of g.mail.messagePages(mailbox, new Date(FROM), new Date(TO), { parallel: 4 })) {
      void page;
      break;
    }
    const after = g.log.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(g.log.length).toBe(after);
  });
});
