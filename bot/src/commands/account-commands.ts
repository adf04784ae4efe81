/** `score <account>`, `top [n]`, `stale [days]` and `summary`. */
import { summaryCard } from '../cards/summary-card';
import { accountScoreCard, candidatesCard, neverContacted, staleListCard, topAccountsCard, type StaleListEntry } from '../cards/account-cards';
import { scoreBand } from '../cards/card-kit';
import { accountLabel, daysSinceLastInteraction, isStale, topAccounts } from '../notifications/stale';
import { conversationKey, type IncomingTurn, type Reply } from '../conversation';
import { clip, type Lang } from '../i18n';
import type { AccountRow, EngagementPort } from '../ports';
import type { AccountMarks } from '../actions/account-marks';
import { findByName } from './fuzzy-match';
import { langIn, type CommandDefinition } from './command';

export const TOP_DEFAULT = 5;
export const TOP_MAX = 25;
/** The stale list shows this many accounts that went quiet, and this many never contacted. */
const STALE_QUIET_MAX = 12;
const STALE_NEVER_MAX = 5;
/** Typed text echoed back is cut to this many characters. */
export const ECHO_MAX = 80;

/** The account card of one account id, or a sentence when it is gone from the results. */
export async function accountReply(engagement: EngagementPort, accountId: string, lang: Lang): Promise<Reply> {
  const detail = await engagement.account(accountId);
  if (!detail) return { text: lang.m.score.notFound };
  const rule = await engagement.staleRule();
  return { card: accountScoreCard(detail, isStale(detail.year, rule), engagement.deepLink(accountId), lang) };
}

/** The exact name or id wins; several close names give a card with one button per candidate. */
export async function lookUp(engagement: EngagementPort, query: string, lang: Lang): Promise<Reply> {
  const { m } = lang;
  if (!query) return { text: m.score.askWhich };
  const rows = await engagement.yearRows();
  if (rows.length === 0) return { text: m.score.noResults };
  const echoed = clip(query, ECHO_MAX);
  const match = findByName(
    query,
    rows.map((r) => ({ id: r.AccountId, name: accountLabel(r), row: r })),
  );
  switch (match.kind) {
    case 'none':
      return { text: m.score.none(echoed) };
    case 'ambiguous': {
      const domains = (await engagement.accountDomains?.()) ?? null;
      const candidates = match.candidates.map((c) => ({
        id: c.id,
        name: c.name,
        // Two names that read alike are told apart by their mail domain, else by their score.
        detail: domains?.get(c.id)?.[0] ?? scoreBand(c.row.EngagementScore, c.row.EngagementBand, lang),
      }));
      return { card: candidatesCard(echoed, candidates, match.total, lang) };
    }
    case 'match':
      return accountReply(engagement, match.item.id, lang);
  }
}

export const scoreCommand: CommandDefinition = {
  name: 'score',
  aliases: ['skor', 'nilai'],
  scopes: ['personal', 'team', 'groupChat'],
  run(context) {
    return lookUp(context.deps.engagement, context.args, langIn(context));
  },
};

export const topCommand: CommandDefinition = {
  name: 'top',
  aliases: ['teratas'],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const { args, deps } = context;
    const lang = langIn(context);
    let n = TOP_DEFAULT;
    let note: string | null = null;
    if (args) {
      if (!/^\d+$/.test(args) || Number(args) < 1) return { text: lang.m.top.usage(lang.f.number(TOP_MAX)) };
      n = Number(args);
      if (n > TOP_MAX) {
        note = lang.m.top.capped(lang.f.number(TOP_MAX));
        n = TOP_MAX;
      }
    }
    const rows = await deps.engagement.yearRows();
    return { card: topAccountsCard(topAccounts(rows, n), n, note, deps.engagement.deepLink(), lang) };
  },
};

/** The conversation whose marks (snoozed, handled) apply: a channel, not the thread inside it. */
export function markConversationKey(turn: IncomingTurn): string {
  return conversationKey({ conversation: { ...turn.reference.conversation, id: turn.channelConversationId ?? turn.reference.conversation.id } });
}

export async function markNote(marks: AccountMarks, key: string, accountId: string, now: Date, lang: Lang): Promise<string | null> {
  const mark = await marks.describe(key, accountId, now);
  if (!mark) return null;
  return mark.kind === 'handled' ? lang.m.stale.handled : lang.m.stale.snoozedUntil(lang.f.date(mark.until));
}

export const staleCommand: CommandDefinition = {
  name: 'stale',
  aliases: ['basi', 'sepi'],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const { args, deps, turn } = context;
    const lang = langIn(context);
    const rule = await deps.engagement.staleRule();
    const settings = await deps.installations.settings(markConversationKey(turn));
    let staleDays = settings?.staleDays ?? rule.staleDays;
    if (args) {
      if (!/^\d+$/.test(args) || Number(args) < 1 || Number(args) > 365) return { text: lang.m.stale.usage };
      staleDays = Number(args);
    }
    const rows = (await deps.engagement.yearRows()).filter((r) => isStale(r, { ...rule, staleDays }));
    const byName = (a: AccountRow, b: AccountRow) => accountLabel(a).localeCompare(accountLabel(b));
    // Quietest first among those that had contact; never-contacted ones by score, then name.
    const quiet = rows.filter((r) => !neverContacted(r)).sort((a, b) => (daysSinceLastInteraction(b) ?? 0) - (daysSinceLastInteraction(a) ?? 0) || byName(a, b));
    const never = rows.filter(neverContacted).sort((a, b) => b.EngagementScore - a.EngagementScore || byName(a, b));
    const key = markConversationKey(turn);
    const now = deps.clock();
    const entries = (list: AccountRow[]): Promise<StaleListEntry[]> =>
      Promise.all(list.map(async (row) => ({ row, note: await markNote(deps.marks, key, row.AccountId, now, lang) })));
    const groups = {
      quiet: await entries(quiet.slice(0, STALE_QUIET_MAX)),
      quietTotal: quiet.length,
      never: await entries(never.slice(0, STALE_NEVER_MAX)),
      neverTotal: never.length,
    };
    return { card: staleListCard(groups, staleDays, deps.engagement.deepLink(), lang) };
  },
};

export const summaryCommand: CommandDefinition = {
  name: 'summary',
  aliases: ['ringkasan'],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const { deps } = context;
    const lang = langIn(context);
    const [run, rows, rule] = await Promise.all([deps.engagement.lastRun(), deps.engagement.yearRows(), deps.engagement.staleRule()]);
    return {
      card: summaryCard(
        { heading: lang.m.summary.heading, run, rows, staleCount: rows.filter((r) => isStale(r, rule)).length, newlyStale: null, dashboardUrl: deps.engagement.deepLink() },
        lang,
      ),
    };
  },
};
