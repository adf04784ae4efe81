/** Runs on the wire: "Run now", the history, the polling view and the SSE payloads. */
import { z } from 'zod';
import { isoDateTime } from './common';

export const RUN_PHASES = ['queued', 'resolving', 'collecting', 'aggregating', 'saving', 'done', 'failed', 'cancelled'] as const;
export const RUN_TRIGGERS = ['manual', 'schedule', 'cli', 'demo'] as const;
export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;

export const mailboxFailureSchema = z
  .object({
    mailbox: z.string().describe('The mailbox that could not be read.'),
    code: z
      .string()
      .describe(
        'Why, as a code: the Microsoft Graph error code (ErrorAccessDenied, MailboxNotEnabledForRESTAPI, TooManyRequests, NetworkError, TimeoutError…) or a Rapport code (GRAPH_REQUEST_FAILED, INTERNAL).',
      ),
    message: z.string().describe('What Graph or the network said, for the service log; never mail content. The tab words the failure from `code`.'),
  })
  .meta({ id: 'MailboxFailure' });
export type MailboxFailure = z.infer<typeof mailboxFailureSchema>;

export const runProgressSchema = z
  .object({
    runId: z.string(),
    phase: z.enum(RUN_PHASES),
    percent: z.number().min(0).max(100),
    mailboxesDone: z.number().int().min(0),
    mailboxesTotal: z.number().int().min(0),
    messagesProcessed: z.number().int().min(0),
    meetingsProcessed: z.number().int().min(0),
    graphRequests: z.number().int().min(0),
    throttleWaits: z.number().int().min(0).describe('Times Microsoft Graph throttled the run (429/503) and it waited.'),
    errors: z.array(mailboxFailureSchema),
    pagesRead: z.number().int().min(0).optional().describe('Pages of mail read from Microsoft Graph so far.'),
    pagesExpected: z
      .number()
      .int()
      .min(0)
      .nullable()
      .optional()
      .describe('Pages read plus the pages estimated left (from the density of the pages read, and the average of the mailboxes done); null until a mailbox is done.'),
    etaSeconds: z
      .number()
      .int()
      .min(0)
      .nullable()
      .optional()
      .describe('Estimated seconds of collection left, from pages read and expected at the rate so far; null until it can be estimated and outside collection.'),
    startedAt: isoDateTime('When the run started'),
    updatedAt: isoDateTime('When this progress was reported'),
  })
  .meta({ id: 'RunProgress', description: 'Progress of a run: the payload of `progress` events and `RunSummary.progress`.' });
export type RunProgress = z.infer<typeof runProgressSchema>;
export type RunPhase = RunProgress['phase'];

export const runSummarySchema = z
  .object({
    id: z.string(),
    trigger: z.enum(RUN_TRIGGERS),
    status: z
      .enum(RUN_STATUSES)
      .describe('partial: finished, with some mailboxes unread (see failures). cancelled: an admin stopped it; the previous results stay current.'),
    startedAt: isoDateTime('When the run started'),
    finishedAt: isoDateTime('When it ended').nullable(),
    configVersion: z.number().int().min(0).describe('The configuration version the run used.'),
    accountsEnriched: z.number().int().min(0),
    emailsProcessed: z.number().int().min(0),
    meetingsProcessed: z.number().int().min(0),
    daysCovered: z.number().int().min(0),
    graphRequests: z.number().int().min(0),
    failures: z.array(mailboxFailureSchema),
    progress: runProgressSchema,
    startedBy: z.string().nullable().describe('Extra: who started a manual run (display name); null for scheduled runs.'),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Extra: why a failed run failed.'),
    warnings: z.array(z.string()).describe('Extra: what the run repaired on its way (e.g. a damaged checkpoint moved aside). Empty for most runs.'),
    cancelledBy: z.string().nullable().optional().describe('Extra: who cancelled the run (display name); absent or null unless it was cancelled.'),
  })
  .meta({ id: 'RunSummary' });
export type RunSummary = z.infer<typeof runSummarySchema>;
export type RunTrigger = RunSummary['trigger'];
export type RunStatus = RunSummary['status'];

export const runBodySchema = z.object({ full: z.boolean().optional().describe('Read every mailbox again instead of only what changed since the last run.') });
export const runListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().describe('At most this many runs, newest first. @default 100 (all that are kept)'),
});

/** Which run's results the dashboard, cards and segments show: the tab polls it to refresh open views. */
export const currentResultsSchema = z
  .object({
    runId: z.string().describe('The run whose results are current.'),
    finishedAt: isoDateTime('When those results were committed'),
  })
  .meta({ id: 'CurrentResults' });
export type CurrentResults = z.infer<typeof currentResultsSchema>;

export const runListSchema = z.object({
  runs: z.array(runSummarySchema).describe('Newest first.'),
  current: currentResultsSchema.nullable().describe('The result set every view reads; null before the first run commits. It changes only when a run succeeds or is partial.'),
});
export type RunList = z.infer<typeof runListSchema>;
