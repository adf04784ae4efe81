/**
 * `npm run enrich`: the main job, headless (shared/DESIGN.md §7).
 * Bad input exits 2 with one line naming the file, row or flag, and writes nothing.
 */
import { parseFlags, usage } from './flags';
import { writeFile, rename, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isAppError } from '../errors';
import { defaultRules, scoreKey } from '../engagement';
import type { AggregationLevel, CustomerDataset } from '../engagement/types';
import { readCsvFile, toAccounts, toContacts } from '../enrichment/customer-csv';
import { officeRowsToCsv } from '../enrichment/office-csv';
import { runEnrichment, scoresOf, type EnrichmentOutcome, type RunProgress } from '../enrichment/run-enrichment';
import { openActivitySource, type OpenedSource } from './source';
import { LowdbDocument } from '../store/lowdb-document';
import { FileRunStateStore } from '../enrichment/run-state';
import { resumableJournal } from '../enrichment/incremental-collection';
import { z } from 'zod';
import { createProgressPrinter } from './progress';
import { openDistributedStorage, queueCollection, type QueueCollectionOptions } from '../distributed';

export const USAGE = `Usage: npm run enrich -- --tenant <fixture file or folder> | --graph <base url>
  --customers <contacts.csv> --email-column <name> --account-column <name>
  [--account-name-column <name>] [--accounts <accounts.csv> --domain-column <name>]
  --org <address or group>[,<address or group>...]
  [--now <ISO time>] [--out <results.json>] [--csv <results.csv>] [--data-dir <dir>] [--full]
  [--queue <connection string or storage account name>]
  --queue runs a distributed full run: one task per mailbox on an Azure Storage queue, served by
  "npm run worker" processes (on this machine or others); not with --data-dir.`;

export interface EnrichArgs {
  tenant?: string;
  graph?: string;
  customers: string;
  emailColumn: string;
  accountColumn: string;
  accountNameColumn?: string;
  accounts?: string;
  domainColumn?: string;
  org: string[];
  now: Date;
  out?: string;
  csv?: string;
  dataDir?: string;
  full: boolean;
  /** Azure Storage for a distributed run (connection string or account name). */
  queue?: string;
}


/** Parses the command line; null means --help was asked for. */
export function parseEnrichArgs(argv: string[], clock: () => Date = () => new Date()): EnrichArgs | null {
  const values = parseFlags(argv, {
    tenant: { type: 'string' },
    graph: { type: 'string' },
    customers: { type: 'string' },
    'email-column': { type: 'string' },
    'account-column': { type: 'string' },
    'account-name-column': { type: 'string' },
    accounts: { type: 'string' },
    'domain-column': { type: 'string' },
    org: { type: 'string' },
    now: { type: 'string' },
    out: { type: 'string' },
    csv: { type: 'string' },
    'data-dir': { type: 'string' },
    full: { type: 'boolean', default: false },
    queue: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return null;
  if (!values.tenant === !values.graph) throw usage('Give exactly one of --tenant and --graph.');
  for (const flag of ['customers', 'email-column', 'account-column', 'org'] as const) {
    if (!values[flag]) throw usage(`--${flag} is required.`);
  }
  if (values['domain-column'] && !values.accounts) throw usage('--domain-column needs --accounts <accounts.csv>.');
  const org = values.org!.split(',').map((s) => s.trim()).filter(Boolean);
  if (org.length === 0) throw usage('--org needs at least one address or group.');
  let now = clock();
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw usage(`--now "${values.now}" is not an ISO 8601 time (e.g. 2026-11-25T00:00:00Z).`);
  }
  if (values.graph !== undefined && !/^https?:\/\//.test(values.graph)) throw usage(`--graph "${values.graph}" is not an http(s) URL.`);
  if (values.queue !== undefined && values['data-dir'] !== undefined) {
    throw usage('--queue runs a distributed full run, which keeps no incremental state: drop --data-dir (or --queue).');
  }
  if (values.queue !== undefined && !values.queue.trim()) throw usage('--queue needs a connection string or a storage account name.');
  return {
    tenant: values.tenant,
    graph: values.graph,
    customers: values.customers!,
    emailColumn: values['email-column']!,
    accountColumn: values['account-column']!,
    accountNameColumn: values['account-name-column'],
    accounts: values.accounts,
    domainColumn: values['domain-column'],
    org,
    now,
    out: values.out,
    csv: values.csv,
    dataDir: values['data-dir'],
    full: values.full ?? false,
    ...(values.queue !== undefined ? { queue: values.queue } : {}),
  };
}

export async function loadDataset(args: EnrichArgs): Promise<CustomerDataset> {
  const contactsTable = await readCsvFile(args.customers);
  const { contacts } = toContacts(contactsTable, {
    email: args.emailColumn,
    accountId: args.accountColumn,
    accountName: args.accountNameColumn,
  });
  if (!args.accounts) return { contacts };
  const accountsTable = await readCsvFile(args.accounts);
  const hasName = args.accountNameColumn !== undefined && accountsTable.columns.includes(args.accountNameColumn);
  const accounts = toAccounts(accountsTable, {
    accountId: args.accountColumn,
    name: hasName ? args.accountNameColumn : undefined,
    domain: args.domainColumn,
  });
  return { contacts, accounts };
}

/** The JSON that `--out` writes. */
export function resultsDocument(outcome: EnrichmentOutcome, now: Date, startedAt: Date, finishedAt: Date) {
  return {
    run: {
      now: now.toISOString(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      accountsEnriched: outcome.totals.accountsEnriched,
      totalAccounts: outcome.totals.totalAccounts,
      emailsProcessed: outcome.totals.emailsProcessed,
      meetingsProcessed: outcome.totals.meetingsProcessed,
      daysCovered: outcome.totals.daysCovered,
      mailboxes: outcome.totals.mailboxes,
      messagesRead: outcome.totals.messagesRead,
      eventsRead: outcome.totals.eventsRead,
      graphRequests: outcome.totals.graphRequests,
      throttleWaits: outcome.totals.throttleWaits,
      failures: outcome.totals.failures,
    },
    office: outcome.office,
    officeUserTable: outcome.officeUserTable,
  };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, file);
}

/**
 * `<data-dir>/results.json`: the scores of the last committed result set, and of the one before
 * it (for score changes). Format 1 kept whole rows; it is still read.
 */
interface CliResults {
  format: 'rapport.cli-results/2';
  runId: string | null;
  /** `${AccountId}|${AggregationLevel}|${AggregationStartdate}` → EngagementScore. */
  scores: [string, number][] | null;
  previousScores: [string, number][] | null;
}
const emptyCliResults = (): CliResults => ({ format: 'rapport.cli-results/2', runId: null, scores: null, previousScores: null });
const scoresSchema = z.array(z.tuple([z.string(), z.number()])).nullable();
const rowsSchema = z.array(z.looseObject({ AccountId: z.string(), AggregationLevel: z.string(), AggregationStartdate: z.string(), EngagementScore: z.number() })).nullable();
const scoreEntry = (r: { AccountId: string; AggregationLevel: string; AggregationStartdate: string; EngagementScore: number }): [string, number] => [
  scoreKey(r.AccountId, r.AggregationLevel as AggregationLevel, r.AggregationStartdate),
  r.EngagementScore,
];
const cliResultsSchema = z.union([
  z.object({ format: z.literal('rapport.cli-results/2'), runId: z.string().nullable(), scores: scoresSchema, previousScores: scoresSchema }),
  z
    .object({ format: z.literal('rapport.cli-results/1'), runId: z.string().nullable(), office: rowsSchema, previousOffice: rowsSchema })
    .transform(
      (v1): CliResults => ({
        format: 'rapport.cli-results/2',
        runId: v1.runId,
        scores: v1.office && v1.office.map(scoreEntry),
        previousScores: v1.previousOffice && v1.previousOffice.map(scoreEntry),
      }),
    ),
]);

export async function enrich(
  args: EnrichArgs,
  out: { log: (line: string) => void; progress?: (p: RunProgress) => void; notice?: (line: string) => void },
  /** Distributed runs: how often results are listed (tests shorten it). */
  queueOptions: Pick<QueueCollectionOptions, 'pollMs' | 'idleTimeoutMs'> = {},
): Promise<EnrichmentOutcome> {
  // Everything that can be checked before collection is checked first: nothing is written on bad input.
  const dataset = await loadDataset(args);
  // State files are opened (and checked) before anything is read from Graph: a corrupt file
  // stops the command with STORE_CORRUPT naming it, and is left untouched.
  const state = args.dataDir ? await FileRunStateStore.open(args.dataDir) : null;
  const results = args.dataDir
    ? await LowdbDocument.open<CliResults>(path.join(args.dataDir, 'results.json'), emptyCliResults, cliResultsSchema as never)
    : null;
  let previous: [string, number][] | null = null;
  if (state && results) {
    const committed = await results.read();
    const resuming = resumableJournal(await state.root(), args.now.getTime(), args.full);
    // A run resumed after its results were committed compares with the same previous run.
    previous = resuming && committed.runId === resuming.id ? committed.previousScores : committed.scores;
  }

  // The storage setting is checked before the tenant is opened: a malformed one writes nothing.
  const storage = args.queue ? openDistributedStorage(args.queue) : null;
  const remote = storage
    ? queueCollection({
        storage,
        ...queueOptions,
        onQueued: ({ runId, tasks }) => (out.notice ?? out.log)(`Distributed run ${runId}: ${tasks} mailbox tasks on ${storage.queue.url}; "npm run worker" processes collect them.`),
      })
    : null;
  const opened: OpenedSource = await openActivitySource(args.tenant ? { kind: 'fixture', path: args.tenant } : { kind: 'graph', baseUrl: args.graph! });
  const startedAt = new Date();
  let outcome: EnrichmentOutcome;
  try {
    outcome = await runEnrichment(
      opened.source,
      {
        orgEntries: args.org,
        dataset,
        rules: defaultRules(),
        now: args.now,
        previousScores: previous ? new Map(previous) : undefined,
      },
      { onProgress: out.progress, ...(state ? { incremental: { state, full: args.full } } : {}), ...(remote ? { remote } : {}) },
    );
  } finally {
    await opened.close();
  }
  const finishedAt = new Date();

  // The one write that commits the result set; the journal closes only after it.
  if (results && outcome.incremental) {
    await results.replace({ format: 'rapport.cli-results/2', runId: outcome.incremental.journal.id, scores: [...scoresOf(outcome.office)], previousScores: previous });
  }
  const doc = resultsDocument(outcome, args.now, startedAt, finishedAt);
  if (args.out) await writeAtomically(args.out, JSON.stringify(doc, null, 2) + '\n');
  if (args.csv) await writeAtomically(args.csv, officeRowsToCsv(outcome.office));
  await outcome.incremental?.commit();

  const t = outcome.totals;
  const seconds = ((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1);
  out.log(`Rapport enrichment finished in ${seconds} s`);
  out.log(`  accounts enriched:   ${t.accountsEnriched} of ${t.totalAccounts}`);
  out.log(`  emails processed:    ${t.emailsProcessed} (${t.messagesRead} message copies read)`);
  out.log(`  meetings processed:  ${t.meetingsProcessed} (${t.eventsRead} calendar instances read)`);
  out.log(`  days covered:        ${t.daysCovered}`);
  out.log(`  mailboxes:           ${t.mailboxes}`);
  out.log(`  Graph requests:      ${t.graphRequests} (${t.throttleWaits} throttling waits)`);
  if (outcome.incremental) {
    const i = outcome.incremental;
    const kind = i.journal.full ? 'full' : 'incremental';
    out.log(`  state:               ${kind}${i.resumed ? ', resumed' : ''}: ${i.refreshed} mailboxes refreshed, ${i.collectedInFull} read in full, ${i.skipped} already done`);
  }
  out.log(`  failures:            ${t.failures.length}`);
  for (const f of t.failures) out.log(`    ${f.mailbox}: ${f.code}: ${f.message}`);
  if (args.out) out.log(`  wrote ${args.out}`);
  if (args.csv) out.log(`  wrote ${args.csv}`);
  return outcome;
}

async function main(): Promise<void> {
  const args = parseEnrichArgs(process.argv.slice(2));
  if (args === null) {
    console.log(USAGE);
    return;
  }
  const printer = createProgressPrinter(process.stderr);
  await enrich(args, {
    log: (line) => {
      printer.done();
      console.log(line);
    },
    progress: printer.update,
    // Mid-run: a line of its own, without ending the progress bar (the next update redraws it).
    notice: (line) => process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`),
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write('\n');
    if (isAppError(e)) {
      console.error(`enrich: ${e.message}`);
      process.exitCode = e.code === 'USAGE' || e.status < 500 ? 2 : 1;
    } else {
      console.error(`enrich: unexpected error: ${(e as Error)?.stack ?? String(e)}`);
      process.exitCode = 1;
    }
  });
}
