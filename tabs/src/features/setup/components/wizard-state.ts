import type { AccountsMapping, DatasetUpload, FieldMapping, MappingResult, OrgResolveResult, SavedConfig } from '../../../lib/api-types';
import type { UploadedDataset } from '../api/datasets';
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
}

export function initialState(config: SavedConfig | null): WizardState {
  return {
    orgText: config?.orgEntries.join('\n') ?? '',
    org: null,
    orgDeferred: false,
    agreed: config?.consentAccepted ?? false,
    contacts: null,
    accounts: null,
    mapping: { email: '', accountId: '' },
    accountsMapping: { accountId: '' },
    mappingResult: null,
    name: config?.name ?? '',
  };
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
      return state.agreed;
    case 'dataset':
      return state.contacts !== null;
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

/** Guesses both mappings from the column names; the admin can change every choice. */
export function guessMappings(contacts: DatasetUpload, accounts: DatasetUpload | null): Pick<WizardState, 'mapping' | 'accountsMapping'> {
  const c = contacts.columns;
  const mapping: FieldMapping = { email: guessColumn(c, [/^e-?mail$/i, /e-?mail/i]), accountId: guessColumn(c, ID) };
  const name = guessColumn(c, NAME);
  if (name) mapping.accountName = name;
  const accountsMapping: AccountsMapping = { accountId: '' };
  if (accounts) {
    accountsMapping.accountId = guessColumn(accounts.columns, ID);
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
