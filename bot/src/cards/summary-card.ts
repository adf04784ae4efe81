import type { AdaptiveCardJson } from '../conversation';
import type { AccountRow, RunInfo } from '../ports';
import { accountLabel, biggestMovers, topAccounts } from '../notifications/stale';
import { card, facts, heading, isoDay, list, openUrl, plain, signed, text, title } from './card-kit';

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
export function summaryCard(input: SummaryCardInput): AdaptiveCardJson {
  const { run, rows } = input;
  const body = [title(input.heading)];
  if (!run) {
    body.push(text('No enrichment run has finished yet. Results appear here after the first run.'));
    return card(body, [openUrl('Open dashboard', input.dashboardUrl)]);
  }
  body.push(text(`Run of ${isoDay(run.finishedAt ?? run.startedAt)} (${run.status})`, { subtle: true }));
  body.push(
    facts([
      ['Customers enriched', String(run.accountsEnriched)],
      ['Emails processed', String(run.emailsProcessed)],
      ['Meetings processed', String(run.meetingsProcessed)],
      ['Days covered', String(run.daysCovered)],
      ['Stale accounts', String(input.staleCount)],
    ]),
  );
  const top = topAccounts(rows, TOP);
  if (top.length > 0) {
    body.push(heading('Top accounts by engagement score'));
    body.push(list(top.map((r) => [plain(accountLabel(r)), `${r.EngagementScore} (${r.EngagementBand})`])));
  }
  const movers = biggestMovers(rows, MOVERS);
  if (movers.up.length > 0) {
    body.push(heading('Biggest movers up'));
    body.push(list(movers.up.map((r) => [plain(accountLabel(r)), `${signed(r.EngagementScoreChange)} → ${r.EngagementScore}`])));
  }
  if (movers.down.length > 0) {
    body.push(heading('Biggest movers down'));
    body.push(list(movers.down.map((r) => [plain(accountLabel(r)), `${signed(r.EngagementScoreChange)} → ${r.EngagementScore}`])));
  }
  if (input.newlyStale !== null) {
    body.push(heading('Newly stale accounts'));
    if (input.newlyStale.length === 0) {
      body.push(text('None this week.', { subtle: true }));
    } else {
      const shown = input.newlyStale.slice(0, NEWLY_STALE).map((r) => plain(accountLabel(r)));
      const more = input.newlyStale.length - shown.length;
      body.push(text(shown.join(', ') + (more > 0 ? ` and ${more} more` : ''), { color: 'Attention' }));
    }
  }
  return card(body, [openUrl('Open dashboard', input.dashboardUrl)]);
}
