/** `score <account>`, `top [n]`, `stale [days]` and `summary`. */
import { summaryCard } from '../cards/summary-card';
import { accountScoreCard, staleListCard, topAccountsCard } from '../cards/account-cards';
import { accountLabel, daysSinceLastInteraction, isStale, topAccounts } from '../notifications/stale';
import { conversationKey } from '../conversation';
import { findByName } from './fuzzy-match';
import type { CommandDefinition } from './command';

export const TOP_DEFAULT = 5;
export const TOP_MAX = 25;
const STALE_LIST_MAX = 15;

export const scoreCommand: CommandDefinition = {
  name: 'score',
  usage: 'score <account>',
  help: "An account's engagement score, its emails and meetings over the last year, and what drives the score.",
  async run({ args, deps }) {
    if (!args) return { text: 'Which account? Try `score <account name>`, for example `score Fabrikam`.' };
    const rows = await deps.engagement.yearRows();
    if (rows.length === 0) return { text: 'There are no results yet: the first enrichment run has not finished.' };
    const match = findByName(
      args,
      rows.map((r) => ({ id: r.AccountId, name: accountLabel(r) })),
    );
    switch (match.kind) {
      case 'none':
        return { text: `No account matches "${args}". Check the spelling, or try part of the name.` };
      case 'ambiguous':
        return {
          text: [`Several accounts match "${args}". Which one did you mean?`, ...match.candidates.map((c) => `- ${c.name} (\`score ${c.id}\`)`)].join('\n'),
        };
      case 'match': {
        const detail = await deps.engagement.account(match.item.id);
        if (!detail) return { text: `No account matches "${args}".` };
        const rule = await deps.engagement.staleRule();
        return { card: accountScoreCard(detail, isStale(detail.year, rule), deps.engagement.deepLink(match.item.id)) };
      }
    }
  },
};

export const topCommand: CommandDefinition = {
  name: 'top',
  usage: 'top [n]',
  help: `The n accounts with the highest engagement score (default ${TOP_DEFAULT}, at most ${TOP_MAX}).`,
  async run({ args, deps }) {
    let n = TOP_DEFAULT;
    let note: string | null = null;
    if (args) {
      if (!/^\d+$/.test(args) || Number(args) < 1) return { text: `\`top\` takes a number from 1 to ${TOP_MAX}, for example \`top 10\`.` };
      n = Number(args);
      if (n > TOP_MAX) {
        note = `Showing the maximum of ${TOP_MAX}.`;
        n = TOP_MAX;
      }
    }
    const rows = await deps.engagement.yearRows();
    return { card: topAccountsCard(topAccounts(rows, n), n, note, deps.engagement.deepLink()) };
  },
};

export const staleCommand: CommandDefinition = {
  name: 'stale',
  usage: 'stale [days]',
  help: 'Accounts with no email and no meeting for more than the stale threshold (or the given number of days).',
  async run({ args, deps, turn }) {
    const rule = await deps.engagement.staleRule();
    let staleDays = rule.staleDays;
    if (args) {
      if (!/^\d+$/.test(args) || Number(args) < 1 || Number(args) > 365) return { text: '`stale` takes a number of days from 1 to 365, for example `stale 90`.' };
      staleDays = Number(args);
    }
    const rows = (await deps.engagement.yearRows()).filter((r) => isStale(r, { ...rule, staleDays }));
    // Quietest first: never contacted, then the longest silence.
    rows.sort((a, b) => (daysSinceLastInteraction(b) ?? Infinity) - (daysSinceLastInteraction(a) ?? Infinity) || accountLabel(a).localeCompare(accountLabel(b)));
    const key = conversationKey(turn.reference);
    const now = deps.clock();
    const entries = await Promise.all(rows.slice(0, STALE_LIST_MAX).map(async (row) => ({ row, note: await deps.marks.describe(key, row.AccountId, now) })));
    return { card: staleListCard(entries, rows.length, staleDays, deps.engagement.deepLink()) };
  },
};

export const summaryCommand: CommandDefinition = {
  name: 'summary',
  usage: 'summary',
  help: 'The latest results: customers enriched, emails and meetings, top accounts and the biggest movers.',
  async run({ deps }) {
    const [run, rows, rule] = await Promise.all([deps.engagement.lastRun(), deps.engagement.yearRows(), deps.engagement.staleRule()]);
    return {
      card: summaryCard({
        heading: 'Rapport engagement summary',
        run,
        rows,
        staleCount: rows.filter((r) => isStale(r, rule)).length,
        newlyStale: null,
        dashboardUrl: deps.engagement.deepLink(),
      }),
    };
  },
};
