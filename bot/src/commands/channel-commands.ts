/** `status`, `subscribe`, `unsubscribe` and `run`. */
import type { IncomingTurn, Reply, StoredReference } from '../conversation';
import { clip, type Lang } from '../i18n';
import type { RunInfo, RunProgressInfo, RunRefusal } from '../ports';
import { markConversationKey } from './account-commands';
import { langIn, type CommandDefinition } from './command';

function describeRun(run: RunInfo, lang: Lang): string {
  const { m, f } = lang;
  const when = f.dateTime(run.finishedAt ?? run.startedAt);
  const totals = m.status.totals(f.number(run.accountsEnriched), f.number(run.emailsProcessed), f.number(run.meetingsProcessed));
  switch (run.status) {
    case 'running':
      return m.status.running(f.dateTime(run.startedAt));
    case 'succeeded':
      return `${m.status.succeeded(when)} ${totals}`;
    case 'partial':
      return `${m.status.partial(when)} ${totals}`;
    case 'failed':
      return m.status.failed(when);
    case 'cancelled':
      return m.status.cancelled(when);
  }
}

function describeProgress(progress: RunProgressInfo, lang: Lang): string {
  const { m, f } = lang;
  const lines = [m.status.running(f.dateTime(progress.startedAt))];
  if (progress.mailboxesTotal > 0) lines.push(m.status.progress(f.number(progress.mailboxesDone), f.number(progress.mailboxesTotal), f.percent(progress.percent / 100)));
  lines.push(m.status.progressSoFar(f.number(progress.messagesProcessed), f.number(progress.meetingsProcessed)));
  return lines.join(' ');
}

function refusalText(reason: RunRefusal, lang: Lang): string {
  return lang.m.run[reason];
}

export const statusCommand: CommandDefinition = {
  name: 'status',
  aliases: [],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const { deps } = context;
    const lang = langIn(context);
    const [active, run, next] = await Promise.all([deps.engagement.activeRun?.() ?? Promise.resolve(null), deps.engagement.lastRun(), deps.engagement.nextRunAt()]);
    const lines: string[] = [];
    if (active) lines.push(describeProgress(active, lang));
    if (run && !(active && run.status === 'running')) lines.push(describeRun(run, lang));
    if (lines.length === 0) lines.push(lang.m.status.noRun);
    lines.push(next ? lang.m.status.next(lang.f.dateTime(next)) : lang.m.status.noneScheduled);
    return { text: lines.join('\n\n') };
  },
};

/** Where alerts for this conversation go: the channel (not the thread), or the group chat itself. */
function alertReference(turn: IncomingTurn): StoredReference {
  if (turn.scope !== 'channel' || !turn.channelConversationId) return turn.reference;
  return { ...turn.reference, conversation: { ...turn.reference.conversation, id: turn.channelConversationId } };
}

const MINE = new Set(['mine', 'saya', 'milik saya', 'my accounts', 'punya saya']);

export const subscribeCommand: CommandDefinition = {
  name: 'subscribe',
  aliases: ['langganan', 'berlangganan'],
  // In a personal chat it is `subscribe mine`; the manifest lists it where plain `subscribe` works.
  scopes: ['team', 'groupChat'],
  async run(context) {
    const { turn, deps, args } = context;
    const mine = MINE.has(args.trim().toLowerCase());
    if (turn.scope === 'personal') return mine ? subscribeMine(context) : { text: langIn(context).m.subscribe.personalHint };
    const { m } = langIn(context);
    if (mine) return { text: m.subscribe.mineInChannel };
    const added = await deps.installations.subscribe(alertReference(turn), turn.teamId);
    return { text: added ? m.subscribe.done : m.subscribe.already };
  },
};

/**
 * `subscribe mine` in a personal chat: alerts about the accounts the dataset's owner column gives
 * the sender's address. Teams activities carry the sender's ids, not their address, so the
 * platform asks the connector's conversation-member API for it (email, else UPN).
 */
async function subscribeMine(context: Parameters<CommandDefinition['run']>[0]): Promise<Reply> {
  const { turn, deps } = context;
  const { m, f } = langIn(context);
  if (!deps.engagement.accountsOwnedBy) return { text: m.subscribe.mineUnavailable };
  const address = (await turn.senderEmail?.())?.trim().toLowerCase() ?? null;
  if (!address) return { text: m.subscribe.mineNoAddress };
  const owned = await deps.engagement.accountsOwnedBy(address);
  if (!owned) return { text: m.subscribe.mineUnavailable };
  const added = await deps.installations.subscribe(turn.reference, null, address);
  const email = clip(address, 80);
  if (owned.size === 0) return { text: m.subscribe.mineNoAccounts(email) };
  return { text: (added ? m.subscribe.mineDone : m.subscribe.mineAlready)(f.number(owned.size), email) };
}

export const unsubscribeCommand: CommandDefinition = {
  name: 'unsubscribe',
  aliases: ['berhenti', 'berhenti-langganan'],
  // In a personal chat it explains `subscribe mine` instead; the manifest lists it where it subscribes.
  scopes: ['team', 'groupChat'],
  async run(context) {
    const { turn, deps } = context;
    const { m } = langIn(context);
    const removed = await deps.installations.unsubscribe(markConversationKey(turn));
    return { text: removed ? m.unsubscribe.done : m.unsubscribe.notSubscribed };
  },
};

export const runCommand: CommandDefinition = {
  name: 'run',
  aliases: ['jalankan'],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const { turn, deps } = context;
    const lang = langIn(context);
    const user = turn.fromAadObjectId;
    if (!user || !(await deps.engagement.isAdmin(user))) return { text: lang.m.run.notAdmin };
    const result = await deps.engagement.startRun(user);
    if (!result.started) return { text: refusalText(result.reason, lang) };
    // The conversation it was asked in hears when it ends (the reference, never the person).
    await deps.installations.watchRun({
      runId: result.run.id,
      reference: { ...alertReference(turn), locale: lang.locale },
      timeZone: turn.timeZone ?? null,
      at: deps.clock().toISOString(),
    });
    return { text: lang.m.run.started(lang.f.dateTime(result.run.startedAt)) };
  },
};
