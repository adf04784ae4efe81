/**
 * Runs the enrich command in this process and prints one `BENCH {json}` line with the run
 * totals, the wall time and this process's peak RSS, for `npm run bench`.
 */
import { enrich, parseEnrichArgs } from '../../api/src/cli/enrich';

async function main(): Promise<void> {
  const args = parseEnrichArgs(process.argv.slice(2));
  if (!args) throw new Error('bench: arguments missing');
  const started = process.hrtime.bigint();
  const outcome = await enrich(args, { log: () => undefined });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const t = outcome.totals;
  console.log(
    `BENCH ${JSON.stringify({
      wallMs,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      messagesRead: t.messagesRead,
      eventsRead: t.eventsRead,
      emailsProcessed: t.emailsProcessed,
      meetingsProcessed: t.meetingsProcessed,
      graphRequests: t.graphRequests,
      mailboxes: t.mailboxes,
      accountsEnriched: t.accountsEnriched,
      failures: t.failures.length,
    })}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
