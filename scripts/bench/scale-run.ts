/**
 * One full run for `npm run bench:scale`, in its own process, against a Graph URL (the simulator
 * with per-request latency). Prints one `BENCH {json}` line: wall time, Graph requests in total
 * and per mailbox (counted at the fetch, retries included), throttle waits, Office rows' digest.
 *
 *   --graph <url/v1.0> --customers <contacts.csv> --org a,b --now <iso> --global 64
 *   --ranges 4 (1: sequential paging, one request at a time per mailbox)
 *   --mailbox-concurrency n (default: from the global cap)
 * Env: TENANT_ID, CLIENT_ID, CLIENT_SECRET, AUTHORITY_HOST (as common.ts withSimulator sets them).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { defaultRules } from '../../api/src/engagement';
import { loadDataset, parseEnrichArgs } from '../../api/src/cli/enrich';
import { runEnrichment } from '../../api/src/enrichment/run-enrichment';
import { OAuthClientCredential, createGraphActivitySource } from '../../api/src/graph';

const { values } = parseArgs({
  allowPositionals: false,
  strict: false,
  options: {
    graph: { type: 'string' },
    customers: { type: 'string' },
    org: { type: 'string' },
    now: { type: 'string' },
    global: { type: 'string', default: '64' },
    ranges: { type: 'string', default: '4' },
    'mailbox-concurrency': { type: 'string' },
  },
});

async function main(): Promise<void> {
  const args = parseEnrichArgs(['--graph', values.graph as string, '--customers', values.customers as string, '--email-column', 'email', '--account-column', 'account_id',
    '--account-name-column', 'account_name', '--org', values.org as string, '--now', values.now as string]);
  if (!args) throw new Error('bench: arguments missing');
  const dataset = await loadDataset(args);
  const perMailbox = new Map<string, number>();
  let total = 0;
  const counting: typeof fetch = (input, init) => {
    total += 1;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const user = /\/v1\.0\/users\/([^/?]+)\//.exec(url)?.[1];
    if (user) perMailbox.set(user, (perMailbox.get(user) ?? 0) + 1);
    return fetch(input, init);
  };
  const env = process.env;
  const source = createGraphActivitySource({
    credential: new OAuthClientCredential({ tenantId: env.TENANT_ID!, clientId: env.CLIENT_ID!, clientSecret: env.CLIENT_SECRET!, authorityHost: env.AUTHORITY_HOST! }),
    baseUrl: args.graph!,
    limits: { global: Number(values.global) },
    mailboxRanges: Number(values.ranges),
    fetch: counting,
  });
  let maxEta = 0;
  let firstEta: { atMs: number; etaSeconds: number } | null = null;
  let collectedAtMs: number | null = null;
  const started = process.hrtime.bigint();
  const elapsedMs = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  const outcome = await runEnrichment(
    source,
    { orgEntries: args.org, dataset, rules: defaultRules(), now: args.now },
    {
      ...(values['mailbox-concurrency'] ? { mailboxConcurrency: Number(values['mailbox-concurrency']) } : {}),
      onProgress: (p) => {
        if (p.phase === 'aggregating' && collectedAtMs === null) collectedAtMs = elapsedMs();
        if (p.etaSeconds == null) return;
        maxEta = Math.max(maxEta, p.etaSeconds);
        // The first estimate past 10% of the mailboxes, to compare with the time it really took.
        if (!firstEta && p.mailboxesDone >= p.mailboxesTotal / 10) firstEta = { atMs: elapsedMs(), etaSeconds: p.etaSeconds };
      },
    },
  );
  const wallMs = elapsedMs();
  const rows = [...outcome.office].map((r) => JSON.stringify(r)).sort();
  console.log(
    `BENCH ${JSON.stringify({
      wallMs,
      collectedAtMs,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      graphRequests: outcome.totals.graphRequests,
      fetches: total,
      perMailboxMax: Math.max(0, ...perMailbox.values()),
      perMailbox: [...perMailbox.values()],
      mailboxes: outcome.totals.mailboxes,
      messagesRead: outcome.totals.messagesRead,
      throttleWaits: outcome.totals.throttleWaits,
      failures: outcome.totals.failures.length,
      firstEta,
      officeDigest: createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16),
    })}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
