/**
 * What the coordinator and the workers of a distributed run exchange through Azure Storage
 * (DESIGN.md §1 "Scale-out path"): the run's plan (a blob), one task per mailbox (a queue
 * message) and one result per mailbox (a blob). Everything is checked with zod where it is read:
 * a queue or a container is shared, and a message may come from an older or a foreign writer.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MailboxFailure, RemoteCounts, RemotePlan } from '../enrichment/run-enrichment';
import type { CustomerDataset, EngagementRules, RunContext, SelectedMailbox } from '../engagement/types';

export const PLAN_FORMAT = 'rapport.distributed-plan/1';
export const TASK_FORMAT = 'rapport.task/1';
export const RESULT_FORMAT = 'rapport.task-result/1';

/** Default names; one queue and one container serve every run (a task names its run). */
export const DEFAULT_QUEUE = 'rapport-tasks';
export const DEFAULT_CONTAINER = 'rapport-runs';

const mailboxSchema = z.object({ id: z.string().min(1), mail: z.string().min(1), otherAddresses: z.array(z.string()).optional() });

export const taskSchema = z.object({
  format: z.literal(TASK_FORMAT),
  runId: z.uuid(),
  mailbox: mailboxSchema,
});
export type TaskMessage = z.infer<typeof taskSchema>;

/** The plan as stored: RemotePlan with dates as epoch ms. The rules and dataset are the coordinator's own, kept whole. */
export interface StoredPlan {
  format: typeof PLAN_FORMAT;
  runId: string;
  ctx: { now: number; verifiedDomains: string[]; rules: EngagementRules; mailboxes: SelectedMailbox[]; hashSalt?: string };
  dataset: CustomerDataset;
  internalDomains: string[];
  window: { from: number; mailTo: number; calendarTo: number };
}

// The rules and the dataset were validated by the coordinator before the run; here the shape is
// checked only as far as a worker relies on it (a foreign blob must not crash the worker).
const storedPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  runId: z.uuid(),
  ctx: z.object({
    now: z.number(),
    verifiedDomains: z.array(z.string()),
    rules: z.looseObject({}),
    mailboxes: z.array(mailboxSchema),
    hashSalt: z.string().optional(),
  }),
  dataset: z.looseObject({ contacts: z.array(z.looseObject({})) }),
  internalDomains: z.array(z.string()),
  window: z.object({ from: z.number(), mailTo: z.number(), calendarTo: z.number() }),
});

export function planToStored(runId: string, plan: RemotePlan): StoredPlan {
  const { ctx } = plan;
  return {
    format: PLAN_FORMAT,
    runId,
    ctx: {
      now: ctx.now,
      verifiedDomains: ctx.verifiedDomains,
      rules: ctx.rules,
      mailboxes: ctx.mailboxes,
      ...(ctx.hashSalt !== undefined ? { hashSalt: ctx.hashSalt } : {}),
    },
    dataset: plan.dataset,
    internalDomains: plan.internalDomains,
    window: { from: plan.window.from.getTime(), mailTo: plan.window.mailTo.getTime(), calendarTo: plan.window.calendarTo.getTime() },
  };
}

/** Parses a stored plan; null when it is not one (the caller says what to do). */
export function parseStoredPlan(data: unknown): (RemotePlan & { runId: string }) | null {
  const parsed = storedPlanSchema.safeParse(data);
  if (!parsed.success) return null;
  const raw = data as StoredPlan;
  const ctx: RunContext = {
    now: raw.ctx.now,
    verifiedDomains: raw.ctx.verifiedDomains,
    rules: raw.ctx.rules,
    mailboxes: raw.ctx.mailboxes,
    ...(raw.ctx.hashSalt !== undefined ? { hashSalt: raw.ctx.hashSalt } : {}),
  };
  return {
    runId: raw.runId,
    ctx,
    dataset: raw.dataset,
    internalDomains: raw.internalDomains,
    window: { from: new Date(raw.window.from), mailTo: new Date(raw.window.mailTo), calendarTo: new Date(raw.window.calendarTo) },
  };
}

const countsSchema = z.object({
  messages: z.number().int().min(0),
  events: z.number().int().min(0),
  requests: z.number().int().min(0),
  throttleWaits: z.number().int().min(0),
});

/** One mailbox's outcome. The partial stays `unknown` here: deserializePartial checks it. */
export const resultSchema = z.discriminatedUnion('outcome', [
  z.object({ format: z.literal(RESULT_FORMAT), runId: z.string(), mailboxId: z.string(), outcome: z.literal('ok'), counts: countsSchema, partial: z.unknown() }),
  z.object({
    format: z.literal(RESULT_FORMAT),
    runId: z.string(),
    mailboxId: z.string(),
    outcome: z.literal('failed'),
    counts: countsSchema,
    failure: z.object({ mailbox: z.string(), code: z.string(), message: z.string() }),
  }),
]);
export type TaskResult = z.infer<typeof resultSchema>;
export type { MailboxFailure, RemoteCounts };

/**
 * A mailbox's blob key: a hash, so the name is fixed-length and safe, and says nothing of the
 * mailbox. The same task always maps to the same name, which is what makes a retry idempotent.
 */
export function mailboxKey(mailboxId: string): string {
  return createHash('sha256').update(mailboxId).digest('hex').slice(0, 32);
}

export const runPrefix = (runId: string): string => `runs/${runId}/`;
export const planBlobName = (runId: string): string => `runs/${runId}/plan.json`;
export const resultsPrefix = (runId: string): string => `runs/${runId}/partials/`;
export const resultBlobName = (runId: string, mailboxId: string): string => `${resultsPrefix(runId)}${mailboxKey(mailboxId)}.json`;

/** Queue messages travel as base64 of UTF-8 JSON: the queue's XML body must not see `&` or `<`. */
export function encodeTask(task: TaskMessage): string {
  return Buffer.from(JSON.stringify(task), 'utf8').toString('base64');
}

export function decodeTask(text: string): TaskMessage | null {
  try {
    const parsed = taskSchema.safeParse(JSON.parse(Buffer.from(text, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
