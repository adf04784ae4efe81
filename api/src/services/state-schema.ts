/**
 * The shape of `state.json` (AppState), checked every time the file is read from disk. A file
 * of the wrong shape is STORE_CORRUPT naming the field (`runs: expected array…`) instead of a
 * crash later (`state.runs is not iterable`).
 *
 * Objects are loose: fields this version does not know (a newer version's, or the consent
 * service's `grantedThrough`/`exchangeRbac`) are kept, never stripped, so reading and writing the
 * file back never loses data. The schema is typed against the interfaces in state.ts, so the two
 * cannot drift apart without the compiler saying so.
 */
import { z } from 'zod';
import { segmentGroupSchema } from '../contract/segments';
import type { RunProgress, RunSummary } from './run-types';
import { scheduleSchema } from './schedule';
import type { AppState, ConfigVersion, ConsentState, SavedSegment, SchedulerState } from './state';

const isoDate = z.string().min(1);
const nullableIso = isoDate.nullable();

const failureSchema = z.looseObject({ mailbox: z.string(), code: z.string(), message: z.string() });

const progressSchema: z.ZodType<RunProgress, unknown> = z.looseObject({
  runId: z.string(),
  phase: z.enum(['queued', 'resolving', 'collecting', 'aggregating', 'saving', 'done', 'failed', 'cancelled']),
  percent: z.number(),
  mailboxesDone: z.number(),
  mailboxesTotal: z.number(),
  messagesProcessed: z.number(),
  meetingsProcessed: z.number(),
  graphRequests: z.number(),
  throttleWaits: z.number(),
  errors: z.array(failureSchema),
  startedAt: isoDate,
  updatedAt: isoDate,
});

export const runSummarySchema: z.ZodType<RunSummary, unknown> = z.looseObject({
  id: z.string().min(1),
  trigger: z.enum(['manual', 'schedule', 'cli', 'demo']),
  status: z.enum(['running', 'succeeded', 'partial', 'failed', 'cancelled']),
  startedAt: isoDate,
  finishedAt: nullableIso,
  configVersion: z.number().int(),
  accountsEnriched: z.number(),
  emailsProcessed: z.number(),
  meetingsProcessed: z.number(),
  daysCovered: z.number(),
  graphRequests: z.number(),
  failures: z.array(failureSchema),
  progress: progressSchema,
  startedBy: z.string().nullable(),
  error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
  // Added with self-healing runs: summaries written before have none.
  warnings: z.array(z.string()).default([]),
  // Added with cancellable runs.
  cancelledBy: z.string().nullable().optional(),
});

const weightsSchema = z.looseObject({ emails: z.number(), meetings: z.number(), breadth: z.number(), recency: z.number(), reciprocity: z.number() });

const configVersionSchema: z.ZodType<ConfigVersion, unknown> = z.looseObject({
  version: z.number().int().min(1),
  savedAt: isoDate,
  savedBy: z.looseObject({ id: z.string(), name: z.string() }),
  config: z.looseObject({
    name: z.string(),
    orgEntries: z.array(z.string()),
    consentAccepted: z.literal(true),
    consentStatement: z.looseObject({ acceptedBy: z.string(), acceptedByName: z.string(), acceptedAt: isoDate }),
    contacts: z.looseObject({
      datasetId: z.string().min(1),
      mapping: z.looseObject({ email: z.string(), accountId: z.string(), accountName: z.string().optional(), domain: z.string().optional() }),
    }),
    accounts: z
      .looseObject({
        datasetId: z.string().min(1),
        mapping: z.looseObject({ accountId: z.string(), name: z.string().optional(), domain: z.string().optional() }),
      })
      .optional(),
    schedule: scheduleSchema.optional(),
    rules: z.looseObject({
      extraInternalDomains: z.array(z.string()),
      exclusions: z.array(z.string()),
      staleDays: z.number(),
      upcomingMeetingSuppressesStale: z.boolean(),
      weights: weightsSchema,
      // Added with the privacy threshold: configurations saved before have none, which hid nothing.
      minimumColleagues: z.number().int().min(1).default(1),
    }),
    mailboxCount: z.number().int().nullable(),
    // Added with asking the tenant administrator (issue 16): older configurations name nobody.
    tenantAdmin: z.looseObject({ name: z.string(), email: z.string() }).optional(),
  }),
});

const consentSchema: z.ZodType<ConsentState, unknown> = z.looseObject({
  status: z.enum(['notRequested', 'pending', 'granted', 'denied']),
  requestedAt: nullableIso,
  requestedBy: z.string().nullable(),
  grantedAt: nullableIso,
  grantedPermissions: z.array(z.string()),
  missingPermissions: z.array(z.string()),
  checkedAt: nullableIso,
  error: z.string().nullable(),
  pendingStates: z.array(z.looseObject({ state: z.string(), expiresAt: isoDate })),
});

const schedulerSchema: z.ZodType<SchedulerState, unknown> = z.looseObject({
  firstRunAt: nullableIso,
  lastSlotAt: nullableIso,
  anchor: scheduleSchema.nullable(),
});

const segmentSchema: z.ZodType<SavedSegment, unknown> = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  rule: segmentGroupSchema,
  createdAt: isoDate,
  createdBy: z.string(),
  updatedAt: isoDate,
});

export const appStateSchema: z.ZodType<AppState, unknown> = z.looseObject({
  format: z.literal('rapport.state/1'),
  configVersions: z.array(configVersionSchema),
  consent: consentSchema,
  scheduler: schedulerSchema,
  runs: z.array(runSummarySchema),
  segments: z.array(segmentSchema),
});
