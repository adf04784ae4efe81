/**
 * Aggregation throughput on one core (`npm run bench`, part (a)): the same Graph pages, built
 * from a generated tenant's files as the simulator would send them, are timed with JSON.parse
 * alone and with JSON.parse + normalisation + reduction. Run alone to profile:
 *   npx tsx scripts/bench/aggregation.ts <tenant dir> [--now ISO] [--mailboxes N]
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { buildAccountDirectory, createMailboxReducer, defaultRules } from '../../api/src/engagement';
import type { GraphMessage, RunContext, SelectedMailbox } from '../../api/src/engagement/types';
import { readCsvFile, toContacts } from '../../api/src/enrichment/customer-csv';
import { MESSAGE_FIELDS } from '../../api/src/graph/select';

interface TenantInfo {
  verifiedDomains: string[];
  users: { id: string; mail?: string | null; accountEnabled?: boolean }[];
}

async function tenantInfo(dir: string): Promise<TenantInfo> {
  const t = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8'));
  return {
    verifiedDomains: (t.organization.verifiedDomains as { name: string }[]).map((d) => d.name),
    users: t.users,
  };
}

/** (a) JSON.parse alone vs JSON.parse + normalise + reduce, on the same Graph pages. */
export async function benchAggregation(dir: string, now: string, mailboxLimit = 60) {
  const info = await tenantInfo(dir);
  const { contacts } = toContacts(await readCsvFile(path.join(dir, 'customers/contacts.csv')), { email: 'email', accountId: 'account_id' });
  const { directory } = buildAccountDirectory({ contacts }, info.verifiedDomains);
  const mailboxes: SelectedMailbox[] = info.users.filter((u) => u.mail && u.accountEnabled !== false).map((u) => ({ id: u.id, mail: u.mail! }));
  const ctx: RunContext = { now: Date.parse(now), verifiedDomains: info.verifiedDomains, rules: defaultRules(), mailboxes };

  // Graph pages as the simulator sends them: allow-listed fields only, 1,000 per page.
  const pages: { mailbox: SelectedMailbox; json: string }[] = [];
  let messages = 0;
  for (const mailbox of mailboxes.slice(0, mailboxLimit)) {
    const file = path.join(dir, 'mailboxes', mailbox.id, 'messages.ndjson');
    if (!existsSync(file)) continue;
    let page: Record<string, unknown>[] = [];
    for await (const line of readline.createInterface({ input: createReadStream(file) })) {
      if (!line.trim()) continue;
      const m = JSON.parse(line);
      page.push(Object.fromEntries(MESSAGE_FIELDS.map((f) => [f, m[f] ?? null])));
      if (page.length === 1000) {
        pages.push({ mailbox, json: JSON.stringify({ value: page, '@odata.nextLink': 'https://graph.microsoft.com/v1.0/x?$skiptoken=abc' }) });
        messages += page.length;
        page = [];
      }
    }
    if (page.length) {
      pages.push({ mailbox, json: JSON.stringify({ value: page }) });
      messages += page.length;
    }
  }
  const excluded = new Set<string>();
  const timeIt = (fn: () => void): number => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      // CPU time, not wall time: the machine is shared, and this process is single-threaded
      // (GC helper threads count, as they are part of the cost).
      const t0 = process.cpuUsage();
      fn();
      const used = process.cpuUsage(t0);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  };
  let sink = 0;
  const parseMs = timeIt(() => {
    for (const p of pages) sink += (JSON.parse(p.json) as { value: unknown[] }).value.length;
  });
  const aggregateMs = timeIt(() => {
    const reducers = new Map<string, ReturnType<typeof createMailboxReducer>>();
    for (const p of pages) {
      let r = reducers.get(p.mailbox.id);
      if (!r) reducers.set(p.mailbox.id, (r = createMailboxReducer(ctx, directory, p.mailbox, excluded)));
      r.addMessages((JSON.parse(p.json) as { value: GraphMessage[] }).value);
    }
    for (const r of reducers.values()) sink += r.finish() ? 1 : 0;
  });
  void sink;
  return {
    messages,
    pages: pages.length,
    parseMs,
    aggregateMs,
    parseMsgPerSec: Math.round(messages / (parseMs / 1000)),
    aggregateMsgPerSec: Math.round(messages / (aggregateMs / 1000)),
    ratio: aggregateMs / parseMs,
  };
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { now: { type: 'string', default: '2026-11-01T00:00:00Z' }, mailboxes: { type: 'string', default: '60' } },
  });
  if (!positionals[0]) {
    console.error('usage: tsx scripts/bench/aggregation.ts <tenant dir> [--now ISO] [--mailboxes N]');
    process.exit(2);
  }
  benchAggregation(positionals[0], values.now!, Number(values.mailboxes)).then((r) => console.log(r));
}
