/**
 * The shapes of the stored result files (file-results-store.ts), checked when they are read.
 * Each schema is typed against the interface it checks, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { ScoreExplanation } from '../engagement';
import type { OfficeRow, OfficeUserRow } from '../engagement/types';
import type { ResultSet } from './results-store';

export const RESULTS_POINTER_FORMAT = 'rapport.results-pointer/1';
export const RESULT_SET_FORMAT = 'rapport.result-set/1';
/** The single-document format of earlier versions (results.json), migrated once. */
export const LEGACY_RESULTS_FORMAT = 'rapport.results/1';

const count = z.number().int().nonnegative();
const nullableNumber = z.number().nullable();
const nullableDate = z.string().nullable();

export const officeRowSchema: z.ZodType<OfficeRow, unknown> = z.object({
  AccountId: z.string().min(1),
  AccountName: z.string().nullable(),
  EngagementScore: z.number(),
  NoOfEmails_ToAccount: z.number(),
  NoOfEmails_FromAccount: z.number(),
  NoOfMeetings_FromAccount: z.number(),
  NoOfMeetings_ToAccount: z.number(),
  NoOfContactsInvolved_Meetings: z.number(),
  NoOfContactsInvolved_Emails: z.number(),
  NoOfAccountContactsInvolved_Meetings: z.number(),
  NoOfAccountContactsInvolved_Emails: z.number(),
  EngagementStartdate: nullableDate,
  DaysSinceLastemail: nullableNumber,
  DaysSinceLastMeeting: nullableNumber,
  AverageDuration_Of_Meetings: nullableNumber,
  AverageDuration_Of_AccountEmailReplies: nullableNumber,
  AggregationStartdate: z.string().min(1),
  AggregationLevel: z.enum(['year', 'month', 'week']),
  LastInboundDate: nullableDate,
  LastOutboundDate: nullableDate,
  NextMeetingDate: nullableDate,
  EngagementBand: z.enum(['High', 'Medium', 'Low']),
  EngagementScoreChange: nullableNumber,
});

const contributionSchema = z.object({ raw: z.number(), percentile: nullableNumber, weight: z.number(), points: z.number() });

export const explanationSchema: z.ZodType<ScoreExplanation, unknown> = z.object({
  accountId: z.string(),
  accountName: z.string().nullable(),
  score: z.number(),
  band: z.enum(['High', 'Medium', 'Low']),
  active: z.boolean(),
  previousScore: nullableNumber,
  change: nullableNumber,
  signals: z
    .object({ emails: contributionSchema, meetings: contributionSchema, breadth: contributionSchema, recency: contributionSchema, reciprocity: contributionSchema })
    .nullable(),
});

export const userTableSchema: z.ZodType<OfficeUserRow[], unknown> = z.array(z.object({ ObjectId: z.string() }));

/** One line of `cards.ndjson`: an account's rows below the year level and its explanation. */
export const cardSchema = z.object({
  months: z.array(officeRowSchema),
  weeks: z.array(officeRowSchema),
  explanation: explanationSchema.nullable(),
});

/** One line of `previous-scores.ndjson`. */
export const scoreEntrySchema = z.tuple([z.string(), z.number()]);

const totalsSchema = z.object({ accountsEnriched: count, totalAccounts: count, emailsProcessed: count, meetingsProcessed: count, daysCovered: count });

const fileSchema = z.object({ bytes: count, rows: count });
const bucketSchema = z.object({ bucket: z.string(), offset: count, bytes: count, rows: count });

/** `manifest.json`: written last in a result-set folder; it describes every other file in it. */
export const manifestSchema = z.object({
  format: z.literal(RESULT_SET_FORMAT),
  runId: z.string().min(1),
  configVersion: z.number().int(),
  finishedAt: z.string(),
  totals: totalsSchema,
  /** Every data file of the folder: a size that differs on disk means a damaged folder. */
  files: z.record(z.string(), fileSchema),
  /** The month and week files hold their rows bucket by bucket; each bucket's byte range. */
  buckets: z.object({ month: z.array(bucketSchema), week: z.array(bucketSchema) }),
  previousScores: z.boolean(),
});
export type ResultSetManifest = z.infer<typeof manifestSchema>;

/**
 * `cards-index.json`: the accounts in cards.ndjson order (ascending), with the byte offset where
 * each card starts, plus one more offset: the end of the file.
 */
export const cardsIndexSchema = z
  .object({ accounts: z.array(z.string()), offsets: z.array(count) })
  .refine((c) => c.offsets.length === c.accounts.length + 1, { message: 'needs one more card offset than accounts' });
export type CardsIndex = z.infer<typeof cardsIndexSchema>;

/** `current.json`: the one small document whose atomic replacement commits a result set. */
export const pointerSchema = z.object({ format: z.literal(RESULTS_POINTER_FORMAT), folder: z.string().regex(/^[A-Za-z0-9_.-]+$/) });
export type ResultsPointer = z.infer<typeof pointerSchema>;

const resultSetSchema: z.ZodType<ResultSet, unknown> = z.object({
  runId: z.string().min(1),
  configVersion: z.number().int(),
  finishedAt: z.string(),
  totals: totalsSchema,
  office: z.array(officeRowSchema),
  officeUserTable: userTableSchema,
  explanations: z.record(z.string(), explanationSchema),
});

/** results.json of earlier versions: the whole set in one document. */
export const legacyResultsSchema = z.object({
  format: z.literal(LEGACY_RESULTS_FORMAT),
  current: resultSetSchema.nullable(),
  previousScores: z.array(scoreEntrySchema).nullable().optional(),
});
