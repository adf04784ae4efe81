/** Results on the wire: overview, the Office table and its exports, customer cards, search. */
import { z } from 'zod';
import { OFFICE_COLUMNS } from '../engagement/types';
import { isoDateTime } from './common';
import { aggregationLevelSchema, engagementBandSchema, officeRowViewSchema, officeUserRowSchema } from './office';
import { runSummarySchema } from './runs';

export const officeFilterSchema = z.object({
  level: z.enum(['year', 'month', 'week'], { message: 'must be year, month or week' }).default('year').describe('Which rows: the year, month or week level.'),
  bucket: z.string().trim().max(40).optional().describe('AggregationStartdate of a bucket, or its prefix (2026-01).'),
  q: z.string().trim().max(200).optional().describe('Text in AccountId or AccountName.'),
  band: z.enum(['High', 'Medium', 'Low'], { message: 'must be High, Medium or Low' }).optional(),
  sort: z.enum(OFFICE_COLUMNS, { message: 'must be one of the Office columns' }).optional().describe('Any column; nulls sort last.'),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).optional(),
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
    history: z.array(z.object({ runId: z.string(), finishedAt: isoDateTime('When the run ended'), accountsEnriched: z.number().int().min(0) })),
    resultsRunId: z.string().nullable().describe('Extra: the run that produced the shown results.'),
    configVersion: z.number().int().nullable().describe('Extra: the configuration version that run used.'),
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
