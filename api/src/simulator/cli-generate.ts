/**
 * `npm run tenant:generate -- --mailboxes N --accounts N --days 365 --seed S --out DIR [--now ISO]
 *   [--messages-per-mailbox N] [--meetings-per-mailbox N]`
 * Writes the folder form of a seeded synthetic tenant, plus customers/*.csv and generated.json.
 * The tenant holds what real mailboxes hold besides mail (meeting messages, Teams chats, a
 * shared mailbox, org contacts): docs/tenant-realism.md.
 */
import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../errors';
import { generateTenant, type GenerateOptions } from './generator';

function intFlag(values: Record<string, string | boolean | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new AppError('USAGE', `--${name} must be an integer between ${min} and ${max}, got "${String(raw)}"`);
  return n;
}

export function parseGenerateArgs(argv: string[]): GenerateOptions & { out: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        mailboxes: { type: 'string' },
        accounts: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        now: { type: 'string' },
        'messages-per-mailbox': { type: 'string' },
        'meetings-per-mailbox': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new AppError('USAGE', (e as Error).message);
  }
  if (values.help) throw new AppError('USAGE', USAGE);
  if (typeof values.out !== 'string' || values.out === '') throw new AppError('USAGE', `--out <folder> is required.\n${USAGE}`);
  if (values.now !== undefined && Number.isNaN(Date.parse(String(values.now)))) throw new AppError('USAGE', `--now must be an ISO date-time, got "${String(values.now)}"`);
  const opts: GenerateOptions & { out: string } = { out: values.out };
  const mailboxes = intFlag(values, 'mailboxes', 2, 5000);
  const accounts = intFlag(values, 'accounts', 1, 100_000);
  const days = intFlag(values, 'days', 1, 1825);
  const seed = intFlag(values, 'seed', 0, 2 ** 31 - 1);
  const messagesPerMailbox = intFlag(values, 'messages-per-mailbox', 0, 1_000_000);
  const meetingsPerMailbox = intFlag(values, 'meetings-per-mailbox', 0, 100_000);
  if (mailboxes !== undefined) opts.mailboxes = mailboxes;
  if (accounts !== undefined) opts.accounts = accounts;
  if (days !== undefined) opts.days = days;
  if (seed !== undefined) opts.seed = seed;
  if (messagesPerMailbox !== undefined) opts.messagesPerMailbox = messagesPerMailbox;
  if (meetingsPerMailbox !== undefined) opts.meetingsPerMailbox = meetingsPerMailbox;
  if (values.now !== undefined) opts.now = String(values.now);
  return opts;
}

const USAGE =
  'Usage: npm run tenant:generate -- --out <folder> [--mailboxes 30] [--accounts 200] [--days 365] [--seed 1] [--now <ISO>] [--messages-per-mailbox 3000] [--meetings-per-mailbox 160]';

function main(): void {
  const opts = parseGenerateArgs(process.argv.slice(2));
  const t0 = Date.now();
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const result = generateTenant({
    ...opts,
    onProgress: (done, total) => {
      if (tty) process.stderr.write(`\rmailboxes ${done}/${total}`);
      else if (done === total || Date.now() - lastLine > 5000) {
        lastLine = Date.now();
        process.stderr.write(`mailboxes ${done}/${total}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  const s = result.summary;
  console.log(`Wrote ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  tenant ${s.tenantId}, now ${s.now}`);
  console.log(`  ${s.mailboxes} mailboxes, ${s.users} users, ${s.groups} groups, ${s.accounts} accounts, ${s.contacts} contacts`);
  console.log(`  ${s.messages} messages, ${s.events} calendar instances`);
  const c = s.counts;
  console.log(`  of the messages, not mail: ${c.meetingRequests + c.meetingResponses + c.meetingCancellations} meeting messages, ${c.chatItems} Teams chat items (docs/tenant-realism.md)`);
  console.log(`  suggested --org ${result.suggestedOrg.join(',')} (shared mailbox ${result.sharedMailboxes.join(', ')}: ${c.sharedMailboxMessages} messages)`);
  console.log(`  customers: ${opts.out}/customers/contacts.csv (email, account_id, account_name), ${opts.out}/customers/accounts.csv (account_id, name, website)`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(isAppError(e) ? e.message : e);
    process.exit(isAppError(e) && e.code === 'USAGE' ? 2 : 1);
  }
}
