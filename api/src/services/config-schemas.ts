/** Zod schemas of the configuration as the wizard sends it (docs/api.md: PUT /api/config). */
import { z } from 'zod';
import { DEFAULT_MINIMUM_COLLEAGUES, defaultRules, DEFAULT_WEIGHTS, MAX_MINIMUM_COLLEAGUES } from '../engagement';
import { describeForbiddenCharacter, forbiddenCharacterIn } from '../enrichment/name-characters';
import { scheduleSchema } from './schedule';
import type { ConfigRules } from './state';

/**
 * A name a person gives (an enrichment, a segment, an uploaded file): no control or bidi
 * characters (enrichment/name-characters.ts). Checked on the value as sent, before trimming,
 * so the position in the message is the one the caller can find.
 */
export function nameSchema(options: { what: string; empty: string; max: number }) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const bad = forbiddenCharacterIn(value);
      if (bad) ctx.addIssue({ code: 'custom', message: `${describeForbiddenCharacter(bad, options.what)}; remove it`, params: { ...bad } });
    })
    .trim()
    .min(1, options.empty)
    .max(options.max, `${options.what} has at most ${options.max} characters`);
}

/** The `fileName` of an upload: a plain file name (no folders) without control or bidi characters. */
export const fileNameSchema = nameSchema({ what: 'a file name', empty: 'name the file, e.g. contacts.csv', max: 200 }).regex(/^[^/\\]+$/, 'must be a plain file name, without / or \\');

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

export const DEFAULT_RULES: ConfigRules = { ...defaultRules(), minimumColleagues: DEFAULT_MINIMUM_COLLEAGUES };

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
    minimumColleagues: z
      .number({ message: `must be a whole number of colleagues from 1 to ${MAX_MINIMUM_COLLEAGUES}` })
      .int(`must be a whole number of colleagues from 1 to ${MAX_MINIMUM_COLLEAGUES}`)
      .min(1, 'must be at least 1 (1 hides nothing)')
      .max(MAX_MINIMUM_COLLEAGUES, `must be at most ${MAX_MINIMUM_COLLEAGUES}`)
      .default(DEFAULT_RULES.minimumColleagues),
  })
  .transform((r): ConfigRules => ({ ...r, extraInternalDomains: r.extraInternalDomains.map((d) => d.replace(/^@/, '')) }));

export const orgEntriesSchema = z
  .array(z.string().trim().min(1, 'an entry is empty').max(320))
  .min(1, 'enter at least one address or group')
  .max(2500, 'at most 2,500 entries');

export const putConfigSchema = z.object({
  name: nameSchema({ what: 'a name', empty: 'give the enrichment a name', max: 100 }),
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
