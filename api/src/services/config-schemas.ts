/** Zod schemas of the configuration as the wizard sends it (docs/api.md: PUT /api/config). */
import { z } from 'zod';
import { defaultRules, DEFAULT_WEIGHTS } from '../engagement';
import type { EngagementRules } from '../engagement/types';
import { scheduleSchema } from './schedule';

const column = z.string().trim().min(1, 'name a column of the uploaded file').max(200);
const optionalColumn = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const contactMappingSchema = z.object({
  email: column,
  accountId: column,
  accountName: optionalColumn,
  domain: optionalColumn,
});

/** The accounts file mapping; `accountName` is accepted as an alias of `name`. */
export const accountMappingSchema = z
  .object({ accountId: column, name: optionalColumn, accountName: optionalColumn, domain: optionalColumn })
  .transform(({ accountId, name, accountName, domain }) => ({ accountId, name: name ?? accountName, domain }));

const domainLike = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain such as fabrikam.com');
const exclusion = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^\s@]+@)?@?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be an address (a@b.com) or a domain (@b.com)');

const weight = z.number().min(0).max(1);

export const DEFAULT_RULES: EngagementRules = defaultRules();

export const rulesSchema = z
  .object({
    extraInternalDomains: z.array(domainLike).max(200).default([]),
    exclusions: z.array(exclusion).max(2000).default([]),
    staleDays: z.number().int().min(1).max(365).default(DEFAULT_RULES.staleDays),
    upcomingMeetingSuppressesStale: z.boolean().default(DEFAULT_RULES.upcomingMeetingSuppressesStale),
    weights: z
      .object({ emails: weight, meetings: weight, breadth: weight, recency: weight, reciprocity: weight })
      .refine((w) => Math.abs(w.emails + w.meetings + w.breadth + w.recency + w.reciprocity - 1) < 1e-6, {
        message: 'the five weights must add up to 1',
      })
      .default({ ...DEFAULT_WEIGHTS }),
  })
  .transform((r): EngagementRules => ({ ...r, extraInternalDomains: r.extraInternalDomains.map((d) => d.replace(/^@/, '')) }));

export const orgEntriesSchema = z
  .array(z.string().trim().min(1, 'an entry is empty').max(320))
  .min(1, 'enter at least one address or group')
  .max(2500, 'at most 2,500 entries');

export const putConfigSchema = z.object({
  name: z.string().trim().min(1, 'give the enrichment a name').max(100),
  orgEntries: orgEntriesSchema,
  consentAccepted: z.literal(true, { message: 'tick "I agree" on the consent statement' }),
  contacts: z.object({ datasetId: z.string().min(1), mapping: contactMappingSchema }),
  accounts: z.object({ datasetId: z.string().min(1), mapping: accountMappingSchema }).optional(),
  schedule: scheduleSchema.optional(),
  rules: rulesSchema.optional(),
  expectedVersion: z.number().int().min(0).optional(),
});
export type PutConfigBody = z.infer<typeof putConfigSchema>;

export const mappingBodySchema = contactMappingSchema.extend({
  accountsDatasetId: optionalColumn,
  /** Extra: the accounts file's own columns when they differ from the contacts file's. */
  accountsMapping: accountMappingSchema.optional(),
});
export type MappingBody = z.infer<typeof mappingBodySchema>;
