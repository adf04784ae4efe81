/**
 * The configuration on the wire: the wizard's PUT /api/config body (with the schedule, the
 * rules and the dataset mappings), org resolution, and what GET /api/config answers.
 */
import { z } from 'zod';
import { DEFAULT_MINIMUM_COLLEAGUES, MAX_MINIMUM_COLLEAGUES } from '../engagement/row-privacy';
import { defaultRules } from '../engagement/rules';
import { DEFAULT_WEIGHTS } from '../engagement/score';
import type { EngagementRules } from '../engagement/types';
import { describeForbiddenCharacter, forbiddenCharacterIn } from '../enrichment/name-characters';
import { isoDateTime } from './common';

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = z
  .object({
    dayOfWeek: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday.'),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    timeZone: z
      .string()
      .min(1)
      .refine(isValidTimeZone, { message: 'must be an IANA time zone such as "Europe/Amsterdam" or "UTC"' })
      .describe('IANA time zone; the time stays local across daylight-saving changes.'),
  })
  .meta({ id: 'Schedule', description: 'The weekly refresh: a day and a wall-clock time in a time zone.' });
export type Schedule = z.infer<typeof scheduleSchema>;

export const scheduleStateSchema = z
  .object({
    schedule: scheduleSchema,
    nextRunAt: isoDateTime('The next scheduled run; null before consent or without a configuration').nullable(),
    explicit: z.boolean().describe('Extra: true when the configuration sets the schedule, false when it follows the first run.'),
  })
  .meta({ id: 'ScheduleState' });
export type ScheduleState = z.infer<typeof scheduleStateSchema>;

/**
 * The configuration's rules: the engine's, plus who may see what (`minimumColleagues`, the
 * privacy threshold: for non-admin viewers, rows involving fewer colleagues keep their score
 * and band but not their activity columns; engagement/row-privacy.ts).
 */
export interface ConfigRules extends EngagementRules {
  /** @default 1 (hides nothing) */
  minimumColleagues: number;
}
export const DEFAULT_RULES: ConfigRules = { ...defaultRules(), minimumColleagues: DEFAULT_MINIMUM_COLLEAGUES };

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

export const contactMappingSchema = z
  .object({
    email: column.describe('The contacts file’s email column.'),
    accountId: column.describe('The contacts file’s account id column.'),
    accountName: optionalColumn.describe('The account name column, if any.'),
    domain: optionalColumn.describe('Without an accounts file: a domain or website column of the contacts file.'),
    // Optional in the output type too, so callers written before it need not name it.
    owner: optionalColumn.optional().describe('Extra: the column naming the seller who owns the contact’s account (their sign-in email; several separated by ";"), for "My accounts".'),
  })
  .meta({ id: 'ContactMapping' });

/** The accounts file mapping; `accountName` is accepted as an alias of `name`. */
export const accountMappingSchema = z
  .object({
    accountId: column,
    name: optionalColumn,
    accountName: optionalColumn.describe('Alias of name.'),
    domain: optionalColumn,
    owner: optionalColumn.optional().describe('Extra: the seller who owns the account (their sign-in email; several separated by ";"); it wins over the contacts file’s owner column.'),
  })
  .meta({ id: 'AccountMapping' })
  .transform(({ accountId, name, accountName, domain, owner }) => ({ accountId, name: name ?? accountName, domain, ...(owner ? { owner } : {}) }));

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

const weight = z.number({ message: 'must be a share from 0 to 1 (0.3 is 30 %)' }).min(0, 'must be 0 or more').max(1, 'must be 1 (100 %) or less');
const weights = z.object({ emails: weight, meetings: weight, breadth: weight, recency: weight, reciprocity: weight }).meta({ id: 'ScoreWeights', description: 'The score’s signal weights; they add up to 1.' });

export const rulesSchema = z
  .object({
    extraInternalDomains: z.array(domainLike).max(200).default([]),
    exclusions: z.array(exclusion).max(2000).default([]),
    staleDays: z
      .number({ message: 'must be a whole number of days from 1 to 365' })
      .int('must be a whole number of days from 1 to 365')
      .min(1, 'must be at least 1 day')
      .max(365, 'must be at most 365 days (the window is one year)')
      .default(DEFAULT_RULES.staleDays)
      .describe('An account is stale when it has had no email and no meeting for more than this many days.'),
    upcomingMeetingSuppressesStale: z.boolean().default(DEFAULT_RULES.upcomingMeetingSuppressesStale),
    weights: weights
      .refine((w) => Math.abs(w.emails + w.meetings + w.breadth + w.recency + w.reciprocity - 1) < 1e-6, {
        message: 'the five weights must add up to 1 (100 %)',
      })
      .default({ ...DEFAULT_WEIGHTS }),
    minimumColleagues: z
      .number({ message: `must be a whole number of colleagues from 1 to ${MAX_MINIMUM_COLLEAGUES}` })
      .int(`must be a whole number of colleagues from 1 to ${MAX_MINIMUM_COLLEAGUES}`)
      .min(1, 'must be at least 1 (1 hides nothing)')
      .max(MAX_MINIMUM_COLLEAGUES, `must be at most ${MAX_MINIMUM_COLLEAGUES}`)
      .default(DEFAULT_RULES.minimumColleagues)
      .describe('Privacy threshold: for callers who are not admins, rows involving fewer colleagues show only score and band. 1 hides nothing.'),
  })
  .meta({ id: 'Rules' })
  .transform((r): ConfigRules => ({ ...r, extraInternalDomains: r.extraInternalDomains.map((d) => d.replace(/^@/, '')) }));

/**
 * PUT /api/config/rules: the settings page saves the rules alone, as a new configuration version
 * that keeps every other part. The rules are replaced whole (a field left out takes its default),
 * and `expectedVersion` is required: two admins editing settings at once must not overwrite
 * each other silently.
 */
export const putRulesSchema = z
  .object({
    rules: rulesSchema,
    expectedVersion: z
      .number({ message: 'send the configuration version the settings were read from' })
      .int()
      .min(1, 'send the configuration version the settings were read from')
      .describe('The version the settings were read from; a newer saved version answers 409 CONFIG_VERSION_CONFLICT.'),
  })
  .meta({ id: 'PutRules' });
export type PutRulesBody = z.infer<typeof putRulesSchema>;

export const orgEntriesSchema = z
  .array(z.string().trim().min(1, 'an entry is empty').max(320))
  .min(1, 'enter at least one address or group')
  .max(2500, 'at most 2,500 entries');

/**
 * The tenant administrator the configuring admin will ask for consent (issue 16): Rapport
 * prepares a Teams chat or an email to this person; it never sends anything itself.
 */
export const tenantAdminSchema = z
  .object({
    name: nameSchema({ what: 'the administrator’s name', empty: 'give the tenant administrator’s name', max: 100 }),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(320, 'an email address has at most 320 characters')
      .regex(/^[^\s@]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be the administrator’s email (their Teams sign-in), such as it-admin@contoso.com'),
  })
  .meta({ id: 'TenantAdmin', description: 'Who grants tenant-admin consent: a Teams chat or an email to them is prepared.' });
export type TenantAdmin = z.infer<typeof tenantAdminSchema>;

export const putConfigSchema = z.object({
  name: nameSchema({ what: 'a name', empty: 'give the enrichment a name', max: 100 }),
  orgEntries: orgEntriesSchema,
  consentAccepted: z.literal(true, { message: 'tick "I agree" on the consent statement' }),
  contacts: z.object({ datasetId: z.string().min(1), mapping: contactMappingSchema }),
  accounts: z.object({ datasetId: z.string().min(1), mapping: accountMappingSchema }).optional(),
  schedule: scheduleSchema.optional(),
  rules: rulesSchema.optional(),
  tenantAdmin: tenantAdminSchema.nullable().optional().describe('Absent: keeps the saved one; null: removes it.'),
  expectedVersion: z.number().int().min(0).optional().describe('The version the editor started from; a newer saved version answers 409 CONFIG_VERSION_CONFLICT.'),
});
export type PutConfigBody = z.infer<typeof putConfigSchema>;

export const mappingBodySchema = contactMappingSchema.extend({
  accountsDatasetId: optionalColumn,
  /** Extra: the accounts file's own columns when they differ from the contacts file's. */
  accountsMapping: accountMappingSchema.optional(),
});
export type MappingBody = z.infer<typeof mappingBodySchema>;

export const orgResolveBodySchema = z.object({ entries: orgEntriesSchema });

const entryMessage = z.object({ entry: z.string().describe('The entry as typed; "" for a problem with the whole list.'), message: z.string() });
export const orgEntryResolutionSchema = z
  .object({
    entry: z.string(),
    input: z.string(),
    kind: z.enum(['user', 'group', 'unusable', 'unknown']),
    id: z.string().nullable(),
    displayName: z.string().nullable(),
    mail: z.string().nullable(),
    memberCount: z.number().int().min(0).nullable().describe('Groups: the enabled members with mail, after transitive expansion.'),
    reason: z.enum(['signInDisabled', 'noMail', 'notFound']).nullable(),
  })
  .meta({ id: 'OrgEntryResolution' });
export type OrgEntryResolution = z.infer<typeof orgEntryResolutionSchema>;
export const orgResolveResultSchema = z
  .object({
    entries: z.array(orgEntryResolutionSchema),
    mailboxCount: z.number().int().min(0),
    valid: z.boolean().describe('False when a problem blocks saving.'),
    problems: z.array(entryMessage).describe('Block saving; a count problem has `entry: ""`.'),
    warnings: z.array(entryMessage).describe('Extra: entries that are left out but do not block saving (users without mail).'),
  })
  .meta({ id: 'OrgResolveResult' });
export type OrgResolveResult = z.infer<typeof orgResolveResultSchema>;

/** A saved configuration as GET /api/config answers it (the output of the schemas above, plus what the server adds). */
export const savedConfigSchema = z
  .object({
    name: z.string(),
    orgEntries: z.array(z.string()),
    consentAccepted: z.literal(true),
    consentStatement: z
      .object({ acceptedBy: z.string(), acceptedByName: z.string(), acceptedAt: isoDateTime('When') })
      .describe('Who ticked "I agree" on the consent statement, and when.'),
    contacts: z.object({
      datasetId: z.string(),
      mapping: z.object({ email: z.string(), accountId: z.string(), accountName: z.string().optional(), domain: z.string().optional(), owner: z.string().optional() }),
    }),
    accounts: z
      .object({ datasetId: z.string(), mapping: z.object({ accountId: z.string(), name: z.string().optional(), domain: z.string().optional(), owner: z.string().optional() }) })
      .optional(),
    schedule: scheduleSchema.optional().describe('Absent: weekly, anchored at the first run.'),
    rules: z.object({
      extraInternalDomains: z.array(z.string()),
      exclusions: z.array(z.string()),
      staleDays: z.number().int(),
      upcomingMeetingSuppressesStale: z.boolean(),
      weights,
      minimumColleagues: z.number().int(),
    }),
    tenantAdmin: z.object({ name: z.string(), email: z.string() }).optional().describe('Who is asked for tenant-admin consent; absent when not named.'),
    mailboxCount: z.number().int().min(0).nullable().describe('Mailboxes the org entries resolved to when saved; null when the directory could not be read yet.'),
  })
  .meta({ id: 'SavedConfig' });
export type SavedConfig = z.infer<typeof savedConfigSchema>;

export const configStateSchema = z
  .object({
    version: z.number().int().min(0).describe('0: nothing saved yet.'),
    config: savedConfigSchema.nullable(),
    updatedAt: isoDateTime('When it was saved').nullable(),
    updatedBy: z.string().nullable().describe('Display name of who saved it.'),
  })
  .meta({ id: 'ConfigState' });
export type ConfigState = z.infer<typeof configStateSchema>;

export const configVersionsSchema = z.object({
  versions: z.array(z.object({ version: z.number().int().min(1), savedAt: isoDateTime('When it was saved'), savedBy: z.object({ id: z.string(), name: z.string() }) })).describe('Newest first, without their content.'),
});

/** The parts of a configuration, as the summary page edits them and the history names them. */
export const CONFIG_PARTS = ['name', 'mailboxes', 'datasets', 'mapping', 'tenantAdmin', 'schedule', 'rules'] as const;
export type ConfigPart = (typeof CONFIG_PARTS)[number];

export const configHistorySchema = z
  .object({
    versions: z
      .array(
        z.object({
          version: z.number().int().min(1),
          savedAt: isoDateTime('When it was saved'),
          savedBy: z.object({ id: z.string(), name: z.string() }),
          changed: z.array(z.enum(CONFIG_PARTS)).describe('The parts that differ from the version before; empty for the oldest kept version.'),
          first: z.boolean().describe('True for the first version ever saved (nothing came before).'),
        }),
      )
      .describe('Newest first.'),
  })
  .meta({ id: 'ConfigHistory' });
export type ConfigHistory = z.infer<typeof configHistorySchema>;
