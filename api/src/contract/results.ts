/** Results on the wire: overview, the Office table and its exports, customer cards, search. */
import { z } from 'zod';
import { OFFICE_COLUMNS } from '../engagement/types';
import { isoDateTime } from './common';
import { aggregationLevelSchema, engagementBandSchema, officeRowViewSchema, officeUserRowSchema } from './office';
import { runSummarySchema } from './runs';

/** `owner=me`: only the caller's accounts, by the dataset's owner column ("My accounts"). */
const ownerQuery = z
  .enum(['me'], { message: 'must be me (the accounts you own); leave it out for all accounts' })
  .optional()
  .describe('me: only the accounts whose owner column names the caller’s sign-in address. 400 when no owner column is mapped or the sign-in carries no address.');

export const officeFilterSchema = z.object({
  level: z.enum(['year', 'month', 'week'], { message: 'must be year, month or week' }).default('year').describe('Which rows: the year, month or week level.'),
  bucket: z.string().trim().max(40).optional().describe('AggregationStartdate of a bucket, or its prefix (2026-01).'),
  q: z.string().trim().max(200).optional().describe('Text in AccountId or AccountName.'),
  band: z.enum(['High', 'Medium', 'Low'], { message: 'must be High, Medium or Low' }).optional(),
  sort: z.enum(OFFICE_COLUMNS, { message: 'must be one of the Office columns' }).optional().describe('Any column; nulls sort last.'),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).optional(),
  owner: ownerQuery,
});
export type OfficeFilter = z.output<typeof officeFilterSchema>;
export const officePageQuerySchema = officeFilterSchema.extend({
  page: z.coerce.number().int().min(1, 'pages start at 1').default(1),
  pageSize: z.coerce.number().int().min(1).max(500, 'at most 500 rows per page').default(50),
});
/** What the tab may send: every field optional except the level. */
export type OfficeQuery = z.input<typeof officePageQuerySchema> & { level: z.output<typeof aggregationLevelSchema>; page?: number; pageSize?: number };

export const officePageSchema = z
  .object({
    rows: z.array(officeRowViewSchema),
    total: z.number().int().min(0).describe('Rows matching the filter, over all pages.'),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    level: aggregationLevelSchema,
    buckets: z.array(z.string()).describe('AggregationStartdate of every bucket at this level, for the bucket picker.'),
  })
  .meta({ id: 'OfficePage' });
export type OfficePage = z.infer<typeof officePageSchema>;
export const officeRowsSchema = z.object({ rows: z.array(officeRowViewSchema) });

/** "My accounts" on the overview: whether owners are known, who the caller is, their figures. */
export const myAccountsSchema = z
  .object({
    ownerColumnMapped: z.boolean().describe('False when the configuration maps no owner column: "My accounts" cannot be told apart.'),
    email: z.string().nullable().describe('The caller’s sign-in address the owner column is matched with; null when the sign-in carries none.'),
    totalAccounts: z.number().int().min(0).describe('Accounts in the results the caller owns (0 when not mapped).'),
    accountsEnriched: z.number().int().min(0),
    bands: z.object({ High: z.number().int().min(0), Medium: z.number().int().min(0), Low: z.number().int().min(0) }),
    staleCount: z.number().int().min(0).describe('The caller’s accounts in the built-in stale segment (both groups).'),
    staleNeverContactedCount: z.number().int().min(0),
  })
  .meta({ id: 'MyAccounts', description: 'Extra: the overview’s figures over the caller’s own accounts (the dataset’s owner column).' });
export type MyAccounts = z.infer<typeof myAccountsSchema>;

export const overviewSchema = z
  .object({
    lastRun: runSummarySchema.nullable(),
    totalAccounts: z.number().int().min(0),
    accountsEnriched: z.number().int().min(0),
    emailsProcessed: z.number().int().min(0),
    meetingsProcessed: z.number().int().min(0),
    daysCovered: z.number().int().min(0),
    bands: z.object({ High: z.number().int().min(0), Medium: z.number().int().min(0), Low: z.number().int().min(0) }).describe('Accounts per band (year rows).'),
    staleCount: z.number().int().min(0).describe('Accounts in the built-in stale segment, as the caller sees them.'),
    staleGoneQuietCount: z
      .number()
      .int()
      .min(0)
      .describe('Extra: stale accounts that had an email or a meeting in the window, none for more than `staleDays` (the built-in segment `stale-gone-quiet`).'),
    staleNeverContactedCount: z
      .number()
      .int()
      .min(0)
      .describe('Extra: stale accounts with no email and no meeting in the whole window (the built-in segment `stale-never-contacted`); with the gone-quiet count it adds up to `staleCount`.'),
    staleDays: z.number().int().min(1).describe('Extra: the configured stale threshold in days, which the counts use.'),
    history: z.array(z.object({ runId: z.string(), finishedAt: isoDateTime('When the run ended'), accountsEnriched: z.number().int().min(0) })),
    resultsRunId: z.string().nullable().describe('Extra: the run that produced the shown results.'),
    configVersion: z.number().int().nullable().describe('Extra: the configuration version that run used.'),
    mine: myAccountsSchema,
  })
  .meta({ id: 'Overview' });
export type Overview = z.infer<typeof overviewSchema>;

export const SCORE_SIGNALS = ['emails', 'meetings', 'breadth', 'recency', 'reciprocity'] as const;
/**
 * The customer card's score explanation. The engine keeps its own, richer record per account
 * (engagement/compute-results.ts ScoreExplanation, stored with the results); this is the wire
 * form made from it (services/score-explanation.ts), not a second definition of the same shape.
 */
export const scoreExplanationSchema = z
  .object({
    score: z.number().min(0).max(100),
    signals: z
      .array(
        z.object({
          signal: z.enum(SCORE_SIGNALS),
          value: z.number().describe('The raw value (e.g. emails in the window).'),
          percentile: z.number().min(0).max(1).nullable().describe('Rank among the active accounts, 0–1; null when the account is not active.'),
          weight: z.number().min(0).max(1),
          points: z.number().describe('What the signal adds to the score.'),
        }),
      )
      .describe('Empty when the account had no counted interaction.'),
    band: engagementBandSchema,
    active: z.boolean().describe('False when the account had no counted interaction in the window (score 0).'),
    previousScore: z.number().nullable(),
    change: z.number().nullable(),
  })
  .meta({ id: 'ScoreExplanation' });
export type ScoreExplanation = z.infer<typeof scoreExplanationSchema>;
export type ScoreSignalName = (typeof SCORE_SIGNALS)[number];

export const accountParamsSchema = z.object({ accountId: z.string().min(1).max(500).describe('The account id from the customer dataset.') });
export const accountCardSchema = z
  .object({
    account: z.object({ accountId: z.string(), name: z.string().nullable() }),
    year: officeRowViewSchema,
    months: z.array(officeRowViewSchema),
    weeks: z.array(officeRowViewSchema),
    explanation: scoreExplanationSchema,
    stale: z.boolean(),
  })
  .meta({ id: 'AccountCard' });
export type AccountCard = z.infer<typeof accountCardSchema>;

export const searchQuerySchema = z.object({
  q: z.string().max(200).default('').describe('Text to match fuzzily in account names and ids.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const searchResultSchema = z.object({
  accounts: z.array(z.object({ accountId: z.string(), name: z.string().nullable(), score: z.number(), band: engagementBandSchema })).describe('Best match first.'),
});
export const userTableSchema = z.object({ rows: z.array(officeUserRowSchema) });

export const changesQuerySchema = z.object({
  owner: ownerQuery,
  limit: z.coerce.number().int().min(1).max(50, 'at most 50 accounts per list').default(5).describe('Accounts per list.'),
  days: z.coerce.number().int().min(1).max(31, 'at most 31 days').default(7).describe('How far back "became stale" and ahead "meetings" look.'),
});
const changeAccountSchema = z
  .object({
    accountId: z.string(),
    name: z.string().nullable(),
    score: z.number(),
    band: engagementBandSchema,
    change: z.number().nullable().describe('Score change since the previous run.'),
    daysSinceLastContact: z.number().nullable().describe('The last email or meeting, in days before the run; null: none, or hidden by the privacy threshold.'),
    becameStaleDaysAgo: z.number().nullable().describe('Days before the run the account crossed the stale threshold; null unless it is in "became stale".'),
    nextMeetingDate: isoDateTime('The next meeting').nullable(),
  })
  .meta({ id: 'ChangeAccount' });
export type ChangeAccount = z.infer<typeof changeAccountSchema>;
export const changesSchema = z
  .object({
    resultsRunId: z.string().nullable(),
    runAt: isoDateTime('When the shown results were computed').nullable(),
    comparedWithPreviousRun: z.boolean().describe('False on the first run: there are no score changes yet.'),
    staleDays: z.number().int().min(1),
    days: z.number().int().min(1),
    gains: z.array(changeAccountSchema).describe('Biggest score gains since the previous run, biggest first.'),
    drops: z.array(changeAccountSchema).describe('Biggest score drops since the previous run, steepest first.'),
    becameStale: z.array(changeAccountSchema).describe('Accounts that went quiet (crossed the stale threshold) in the `days` before the run, most recent first; never-contacted accounts are not in it.'),
    upcomingMeetings: z.array(changeAccountSchema).describe('Accounts with their next meeting within `days` from now, soonest first.'),
    totals: z.object({ gains: z.number().int().min(0), drops: z.number().int().min(0), becameStale: z.number().int().min(0), upcomingMeetings: z.number().int().min(0) }).describe('How many there are in all; the lists hold at most `limit`.'),
  })
  .meta({ id: 'Changes', description: 'What changed: the dashboard’s "This week".' });
export type Changes = z.infer<typeof changesSchema>;

export const timelineQuerySchema = z.object({ owner: ownerQuery });
export const timelineSchema = z
  .object({
    weeks: z
      .array(z.object({ weekStart: isoDateTime('Monday 00:00 UTC of the ISO week'), accounts: z.number().int().min(0).describe('Accounts with a counted email or past meeting that week.') }))
      .describe('Every ISO week of the window, oldest first; empty before the first run.'),
    runs: z.array(z.object({ finishedAt: isoDateTime('When the run ended'), accountsEnriched: z.number().int().min(0) })).describe('The runs, as markers.'),
  })
  .meta({ id: 'Timeline', description: 'Enriched customers per ISO week, from the week rows of the results.' });
export type Timeline = z.infer<typeof timelineSchema>;
