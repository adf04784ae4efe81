/**
 * What the API persists, in three documents:
 * - `AppState`: small, changed by admins and runs (config versions, consent, the schedule,
 *   run history, saved segments);
 * - `ResultsDocument`: the last committed result set, replaced whole in one write per run;
 * - `DatasetsDocument`: the uploaded customer tables with their metadata, written once per
 *   upload, so that 200,000-row tables are not copied on every small state change.
 */
import type { EngagementRules, OfficeRow, OfficeUserRow } from '../engagement/types';
import type { DocumentStore } from '../store/document-store';
import type { RunSummary } from './run-types';
import type { Schedule } from './schedule';
import type { SegmentRule } from './segment-rules';
import type { ScoreExplanation } from '../engagement';

export interface ContactMappingConfig {
  email: string;
  accountId: string;
  accountName?: string;
  /** A domain or website column in the contacts file. */
  domain?: string;
}
export interface AccountMappingConfig {
  accountId: string;
  name?: string;
  domain?: string;
}

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
  rules: EngagementRules;
  /** Mailboxes the org entries resolved to when saved; null when the directory could not be read yet. */
  mailboxCount: number | null;
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

export interface ResultTotals {
  accountsEnriched: number;
  totalAccounts: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
}

export interface ResultSet {
  runId: string;
  configVersion: number;
  finishedAt: string;
  totals: ResultTotals;
  office: OfficeRow[];
  officeUserTable: OfficeUserRow[];
  /** Keyed by AccountId: the explanation of the year score. */
  explanations: Record<string, ScoreExplanation>;
}

export interface ResultsDocument {
  format: 'rapport.results/1';
  current: ResultSet | null;
  /**
   * Scores of the result set `current` replaced (keyed as scoreKey), so a run resumed after it
   * committed its results still compares with the run before it. Absent in older files.
   */
  previousScores?: [string, number][] | null;
}

export interface StoredDataset {
  meta: DatasetMeta;
  rows: string[][];
}
export interface DatasetsDocument {
  format: 'rapport.datasets/1';
  datasets: Record<string, StoredDataset>;
}

export interface Stores {
  state: DocumentStore<AppState>;
  results: DocumentStore<ResultsDocument>;
  datasets: DocumentStore<DatasetsDocument>;
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

export function emptyResults(): ResultsDocument {
  return { format: 'rapport.results/1', current: null };
}

export function emptyDatasets(): DatasetsDocument {
  return { format: 'rapport.datasets/1', datasets: {} };
}
