import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';
import type { AccountRow, RunInfo } from '../ports';
import { accountLabel, biggestMovers, topAccounts } from '../notifications/stale';
import { card, facts, heading, list, openUrl, plain, scoreBand, signed, text, title, type Element } from './card-kit';

export interface SummaryCardInput {
  run: RunInfo | null;
  rows: AccountRow[];
  staleCount: number;
  /** Accounts that became stale in this run; null for an on-demand summary. */
  newlyStale: AccountRow[] | null;
  dashboardUrl: string;
  heading: string;
}

const TOP = 5;
const MOVERS = 3;
const NEWLY_STALE = 10;

/** The weekly summary (and the `summary` command): aggregates per account only. */
export function summaryCard(input: SummaryCardInput, lang: Lang): AdaptiveCardJson {
  const { m, f } = lang;
  const { run, rows } = input;
  const body: Element[] = [title(input.heading)];
  const actions = [openUrl(m.common.openDashboard, input.dashboardUrl)];
  if (!run) {
    body.push(text(m.summary.noRun));
    return card(body, actions);
  }
  const finished = f.date(run.finishedAt ?? run.startedAt);
  body.push(text(run.status === 'partial' ? m.summary.runOfPartial(finished) : m.summary.runOf(finished), { subtle: true }));
  body.push(
    facts([
      [m.summary.customers, f.number(run.accountsEnriched)],
      [m.summary.emails, f.number(run.emailsProcessed)],
      [m.summary.meetings, f.number(run.meetingsProcessed)],
      [m.summary.days, f.number(run.daysCovered)],
      [m.summary.staleAccounts, f.number(input.staleCount)],
    ]),
  );
  const top = topAccounts(rows, TOP);
  if (top.length > 0) {
    body.push(heading(m.summary.top));
    body.push(list(top.map((r) => [plain(accountLabel(r)), scoreBand(r.EngagementScore, r.EngagementBand, lang)])));
  }
  const movers = biggestMovers(rows, MOVERS);
  const moverRow = (r: AccountRow): [string, string] => [plain(accountLabel(r)), m.summary.mover(signed(r.EngagementScoreChange, lang), f.number(r.EngagementScore))];
  if (movers.up.length > 0) {
    body.push(heading(m.summary.moversUp));
    body.push(list(movers.up.map(moverRow)));
  }
  if (movers.down.length > 0) {
    body.push(heading(m.summary.moversDown));
    body.push(list(movers.down.map(moverRow)));
  }
  if (input.newlyStale !== null) {
    body.push(heading(m.summary.newlyStale));
    if (input.newlyStale.length === 0) {
      body.push(text(m.summary.noneThisWeek, { subtle: true }));
    } else {
      const shown = input.newlyStale.slice(0, NEWLY_STALE).map((r) => plain(accountLabel(r)));
      const more = input.newlyStale.length - shown.length;
      body.push(text(f.list(more > 0 ? [...shown, m.common.andMore(f.number(more))] : shown), { color: 'Attention' }));
    }
  }
  return card(body, actions);
}
