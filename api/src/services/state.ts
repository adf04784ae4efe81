/**
 * What the API persists:
 * - `AppState` (state.json, lowdb): small, changed by admins and runs (config versions, consent,
 *   the schedule, run history, saved segments); checked against appStateSchema when read;
 * - the committed result set (ResultsStore: one folder per run, read page by page, committed
 *   atomically; store/file-results-store.ts);
 * - the uploaded customer tables (DatasetStore: one file per dataset; store/file-dataset-store.ts).
 */
import type { DocumentStore } from '../store/document-store';
import type { DatasetStore } from '../store/dataset-store';
import type { ResultsStore } from '../store/results-store';
import type { RunSummary } from './run-types';
import type { Schedule } from './schedule';
import type { ConfigRules } from '../contract/config';
import type { SegmentRule } from '../contract/segments';

export type { ResultSet, ResultTotals, ResultSetHeader, StoredResultSet, ResultsStore } from '../store/results-store';

export interface ContactMappingConfig {
  email: string;
  accountId: string;
  accountName?: string;
  /** A domain or website column in the contacts file. */
  domain?: string;
  /** The owner (seller's email) column, for "My accounts" (results-service.ts). */
  owner?: string;
}
export interface AccountMappingConfig {
  accountId: string;
  name?: string;
  domain?: string;
  /** The owner (seller's email) column; wins over the contacts file's. */
  owner?: string;
}

export type { ConfigRules };

/** One saved configuration. Versions are immutable; a run uses exactly one. */
export interface EnrichmentConfig {
  name: string;
  orgEntries: string[];
  consentAccepted: true;
  /** Who ticked "I agree" on the consent statement, and when. */
  consentStatement: { acceptedBy: string; acceptedByName: string; acceptedAt: string };
  contacts: { datasetId: string; mapping: ContactMappingConfig };
  accounts?: { datasetId: string; mapping: AccountMappingConfig };
  /** Absent: weekly, anchored at the first run. */
  schedule?: Schedule;
  rules: ConfigRules;
  /** Mailboxes the org entries resolved to when saved; null when the directory could not be read yet. */
  mailboxCount: number | null;
  /** Who is asked for tenant-admin consent (a Teams chat or an email is prepared); absent when not named. */
  tenantAdmin?: { name: string; email: string };
}

export interface ConfigVersion {
  version: number;
  config: EnrichmentConfig;
  savedAt: string;
  savedBy: { id: string; name: string };
}

export interface DatasetMeta {
  id: string;
  kind: 'contacts' | 'accounts';
  fileName: string;
  rows: number;
  columns: string[];
  uploadedAt: string;
  uploadedBy: string;
}

export type ConsentStatusName = 'notRequested' | 'pending' | 'granted' | 'denied';

export interface ConsentState {
  status: ConsentStatusName;
  requestedAt: string | null;
  requestedBy: string | null;
  grantedAt: string | null;
  grantedPermissions: string[];
  missingPermissions: string[];
  checkedAt: string | null;
  error: string | null;
  /** Outstanding `state` values of consent requests; each is accepted once, before it expires. */
  pendingStates: { state: string; expiresAt: string }[];
}

export interface SchedulerState {
  /** Consent time + the first-run delay; null before consent. */
  firstRunAt: string | null;
  /** The slot of the last scheduled run that fired (the first run included). */
  lastSlotAt: string | null;
  /** The weekly cadence when the configuration sets no explicit schedule. */
  anchor: Schedule | null;
}

export interface SavedSegment {
  id: string;
  name: string;
  rule: SegmentRule;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface AppState {
  format: 'rapport.state/1';
  configVersions: ConfigVersion[];
  consent: ConsentState;
  scheduler: SchedulerState;
  runs: RunSummary[];
  segments: SavedSegment[];
}

export interface Stores {
  state: DocumentStore<AppState>;
  results: ResultsStore;
  /** One file per dataset (store/file-dataset-store.ts); a legacy datasets.json is migrated when opened. */
  datasets: DatasetStore;
}

export function emptyAppState(): AppState {
  return {
    format: 'rapport.state/1',
    configVersions: [],
    consent: {
      status: 'notRequested',
      requestedAt: null,
      requestedBy: null,
      grantedAt: null,
      grantedPermissions: [],
      missingPermissions: [],
      checkedAt: null,
      error: null,
      pendingStates: [],
    },
    scheduler: { firstRunAt: null, lastSlotAt: null, anchor: null },
    runs: [],
    segments: [],
  };
}

