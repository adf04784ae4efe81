import type { AccountsMapping, DatasetUpload, FieldMapping, MappingResult, OrgResolveResult, SavedConfig } from '../../../lib/api-types';
import type { UploadedDataset } from '../api/datasets';
import type { SaveConfigBody } from '../api/config';
import { parseOrgEntries } from '../api/org';

export const STEPS = ['overview', 'org', 'consent', 'dataset', 'mapping', 'review'] as const;
export type StepName = (typeof STEPS)[number];

export const MIN_MAILBOXES = 2;
export const MAX_MAILBOXES = 2500;

export interface WizardState {
  orgText: string;
  /** The resolution of the entries currently in `orgText` (null while resolving). */
  org: OrgResolveResult | null;
  /** The directory cannot be read before tenant-admin consent (412): entries are checked later. */
  orgDeferred: boolean;
  agreed: boolean;
  contacts: UploadedDataset | null;
  accounts: UploadedDataset | null;
  mapping: FieldMapping;
  /** Columns of the accounts file, when one was uploaded. */
  accountsMapping: AccountsMapping;
  /** The validation report of exactly `mapping` (cleared when the mapping changes). */
  mappingResult: MappingResult | null;
  name: string;
  /** Who grants tenant-admin consent: both empty, or a name and an email. */
  adminName: string;
  adminEmail: string;
  /**
   * Uploads that were refused and not yet resolved (step-dataset.tsx): the previous file stays
   * selected, but Next waits until the admin keeps it, uploads again or imports the valid rows.
   */
  refusedUploads?: Partial<Record<'contacts' | 'accounts', { file: File; error: unknown }>>;
}

/**
 * A saved configuration seeds every field, the mapping included: a step edited on its own (the
 * summary page's Edit) saves the other parts exactly as they were.
 */
export function initialState(config: SavedConfig | null): WizardState {
  return {
    orgText: config?.orgEntries.join('\n') ?? '',
    org: null,
    orgDeferred: false,
    agreed: config?.consentAccepted ?? false,
    contacts: null,
    accounts: null,
    mapping: config ? { ...config.contacts.mapping, ...(config.accounts ? { accountsDatasetId: config.accounts.datasetId } : {}) } : { email: '', accountId: '' },
    accountsMapping: config?.accounts ? { ...config.accounts.mapping } : { accountId: '' },
    mappingResult: null,
    name: config?.name ?? '',
    adminName: config?.tenantAdmin?.name ?? '',
    adminEmail: config?.tenantAdmin?.email ?? '',
  };
}

/** The same rule as the API's (contract/config.ts tenantAdminSchema), so the wizard blocks what the server would refuse. */
const EMAIL = /^[^\s@]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

export type TenantAdminProblem = 'nameRequired' | 'emailRequired' | 'emailInvalid' | null;

/** Both fields empty (nobody named) or both filled with a valid email. */
export function tenantAdminProblem(state: Pick<WizardState, 'adminName' | 'adminEmail'>): TenantAdminProblem {
  const name = state.adminName.trim();
  const email = state.adminEmail.trim();
  if (!name && !email) return null;
  if (!email) return 'emailRequired';
  if (!EMAIL.test(email)) return 'emailInvalid';
  if (!name) return 'nameRequired';
  return null;
}

/** The parts of a saved configuration the wizard edits on its own, and the steps each one needs. */
export const PART_STEPS = {
  name: ['review'],
  mailboxes: ['org'],
  datasets: ['dataset', 'mapping'],
  mapping: ['mapping'],
  tenantAdmin: ['consent'],
} as const satisfies Record<string, readonly StepName[]>;
export type WizardPart = keyof typeof PART_STEPS;

export function isWizardPart(part: string): part is WizardPart {
  return Object.hasOwn(PART_STEPS, part);
}

export type OrgProblem = 'empty' | 'unresolved' | 'tooFew' | 'tooMany' | null;

/** Why the org step cannot go on yet (the 2–2,500 rule, MISSION §2). */
export function orgProblem(state: WizardState): OrgProblem {
  if (state.orgDeferred) return parseOrgEntries(state.orgText).length > 0 ? null : 'empty';
  if (!state.org) return 'empty';
  if (state.org.entries.some((e) => e.kind === 'unknown' || e.kind === 'unusable')) return 'unresolved';
  if (state.org.mailboxCount < MIN_MAILBOXES) return 'tooFew';
  if (state.org.mailboxCount > MAX_MAILBOXES) return 'tooMany';
  return state.org.valid ? null : 'unresolved';
}

/** Whether the step's requirements are met, so Next may be used. */
export function stepComplete(step: StepName, state: WizardState): boolean {
  switch (step) {
    case 'overview':
      return true;
    case 'org':
      return orgProblem(state) === null;
    case 'consent':
      return state.agreed && tenantAdminProblem(state) === null;
    case 'dataset':
      return state.contacts !== null && !state.refusedUploads?.contacts && !state.refusedUploads?.accounts;
    case 'mapping':
      return state.mappingResult !== null && !!state.mapping.email && !!state.mapping.accountId && (!state.accounts || !!state.accountsMapping.accountId);
    case 'review':
      return state.name.trim().length > 0;
  }
}

/** Guesses a column by name, so the common files map themselves. */
export function guessColumn(columns: string[], patterns: RegExp[]): string {
  for (const pattern of patterns) {
    const hit = columns.find((c) => pattern.test(c));
    if (hit) return hit;
  }
  return '';
}

const ID = [/^account_?id$/i, /account.*id/i, /^company_?id$/i, /^id$/i];
const NAME = [/^account_?name$/i, /^name$/i, /company/i];
const DOMAIN = [/^domain$/i, /website/i, /domain/i, /url/i];
/** The seller who owns the account (their sign-in email), for "My accounts". */
const OWNER = [/^owner$/i, /owner/i, /^seller$/i, /account_?manager/i, /^am$/i];

/** Guesses both mappings from the column names; the admin can change every choice. */
export function guessMappings(contacts: DatasetUpload, accounts: DatasetUpload | null): Pick<WizardState, 'mapping' | 'accountsMapping'> {
  const c = contacts.columns;
  const mapping: FieldMapping = { email: guessColumn(c, [/^e-?mail$/i, /e-?mail/i]), accountId: guessColumn(c, ID) };
  const name = guessColumn(c, NAME);
  if (name) mapping.accountName = name;
  const owner = guessColumn(c, OWNER);
  if (owner) mapping.owner = owner;
  const accountsMapping: AccountsMapping = { accountId: '' };
  if (accounts) {
    accountsMapping.accountId = guessColumn(accounts.columns, ID);
    const accountsOwner = guessColumn(accounts.columns, OWNER);
    if (accountsOwner) accountsMapping.owner = accountsOwner;
    const accountName = guessColumn(accounts.columns, NAME);
    const domain = guessColumn(accounts.columns, DOMAIN);
    if (accountName) accountsMapping.name = accountName;
    if (domain) accountsMapping.domain = domain;
  } else {
    const domain = guessColumn(c, DOMAIN);
    if (domain) mapping.domain = domain;
  }
  return { mapping, accountsMapping };
}

/** The body of POST /api/datasets/{id}/mapping. */
export function mappingRequest(state: WizardState): FieldMapping {
  if (!state.accounts) return state.mapping;
  const { domain: _contactsDomain, ...contacts } = state.mapping;
  return { ...contacts, accountsDatasetId: state.accounts.datasetId, accountsMapping: state.accountsMapping };
}

/** What PUT /api/config receives (docs/api.md), built from the wizard's state and the version it started from. */
export function saveBody(state: WizardState, saved: SavedConfig | null, expectedVersion: number): SaveConfigBody | null {
  const contactsId = state.contacts?.datasetId ?? saved?.contacts.datasetId;
  if (!contactsId) return null;
  const accountsId = state.accounts?.datasetId ?? (state.contacts ? undefined : saved?.accounts?.datasetId);
  const { accountsDatasetId: _id, accountsMapping: _columns, ...mapping } = state.mapping;
  // With an accounts file the domains come from it, as in mappingRequest.
  const { domain: _contactsDomain, ...withoutDomain } = mapping;
  const contactsMapping = accountsId ? withoutDomain : mapping;
  const adminName = state.adminName.trim();
  const adminEmail = state.adminEmail.trim();
  return {
    name: state.name.trim(),
    orgEntries: parseOrgEntries(state.orgText),
    consentAccepted: true,
    contacts: { datasetId: contactsId, mapping: contactsMapping },
    ...(accountsId ? { accounts: { datasetId: accountsId, mapping: state.accountsMapping } } : {}),
    // null takes back an administrator named before; absent when nobody was ever named.
    ...(adminName && adminEmail ? { tenantAdmin: { name: adminName, email: adminEmail } } : saved?.tenantAdmin ? { tenantAdmin: null } : {}),
    expectedVersion,
  };
}
