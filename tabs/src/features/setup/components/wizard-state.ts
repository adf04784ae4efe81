import type { DatasetUpload, FieldMapping, MappingResult, OrgResolveResult, SavedConfig } from '../../../lib/api-types';

export const STEPS = ['overview', 'org', 'consent', 'dataset', 'mapping', 'review'] as const;
export type StepName = (typeof STEPS)[number];

export const MIN_MAILBOXES = 2;
export const MAX_MAILBOXES = 2500;

export interface WizardState {
  orgText: string;
  /** The resolution of the entries currently in `orgText` (null while resolving). */
  org: OrgResolveResult | null;
  agreed: boolean;
  contacts: DatasetUpload | null;
  accounts: DatasetUpload | null;
  mapping: FieldMapping;
  /** The validation report of exactly `mapping` (cleared when the mapping changes). */
  mappingResult: MappingResult | null;
  name: string;
}

export function initialState(config: SavedConfig | null): WizardState {
  return {
    orgText: config?.orgEntries.join('\n') ?? '',
    org: null,
    agreed: config?.consentAccepted ?? false,
    contacts: null,
    accounts: null,
    mapping: { email: '', accountId: '' },
    mappingResult: null,
    name: config?.name ?? '',
  };
}

export type OrgProblem = 'empty' | 'unresolved' | 'tooFew' | 'tooMany' | null;

/** Why the org step cannot go on yet (the 2–2,500 rule, MISSION §2). */
export function orgProblem(state: WizardState): OrgProblem {
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
      return state.mappingResult !== null && !!state.mapping.email && !!state.mapping.accountId;
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

export function guessMapping(contacts: DatasetUpload, accounts: DatasetUpload | null): FieldMapping {
  const c = contacts.columns;
  const nameSource = accounts?.columns ?? c;
  const mapping: FieldMapping = {
    email: guessColumn(c, [/^e-?mail$/i, /e-?mail/i]),
    accountId: guessColumn(c, [/^account_?id$/i, /account.*id/i, /^company_?id$/i]),
  };
  const name = guessColumn(nameSource, [/^account_?name$/i, /^name$/i, /company/i]);
  const domain = guessColumn(nameSource, [/^domain$/i, /website/i, /domain/i, /url/i]);
  if (name) mapping.accountName = name;
  if (domain) mapping.domain = domain;
  if (accounts) mapping.accountsDatasetId = accounts.datasetId;
  return mapping;
}
