import type { ConfigState, OfficeRow, Overview, RunProgress, RunSummary } from '../lib/api-types';

export function officeRow(overrides: Partial<OfficeRow> = {}): OfficeRow {
  return {
    AccountId: 'A-001',
    AccountName: 'Fabrikam',
    EngagementScore: 82,
    NoOfEmails_ToAccount: 40,
    NoOfEmails_FromAccount: 35,
    NoOfMeetings_FromAccount: 3,
    NoOfMeetings_ToAccount: 9,
    NoOfContactsInvolved_Meetings: 4,
    NoOfContactsInvolved_Emails: 6,
    NoOfAccountContactsInvolved_Meetings: 5,
    NoOfAccountContactsInvolved_Emails: 7,
    EngagementStartdate: '2025-03-02T09:00:00.000Z',
    DaysSinceLastemail: 3,
    DaysSinceLastMeeting: 12,
    AverageDuration_Of_Meetings: 42.5,
    AverageDuration_Of_AccountEmailReplies: 5.2,
    AggregationStartdate: '2025-01-27T00:00:00.000Z',
    AggregationLevel: 'year',
    LastInboundDate: '2026-01-22T10:00:00.000Z',
    LastOutboundDate: '2026-01-23T11:00:00.000Z',
    NextMeetingDate: '2026-02-03T15:00:00.000Z',
    EngagementBand: 'High',
    EngagementScoreChange: 4,
    ...overrides,
  };
}

/** A row as a viewer who is not an admin receives it under the privacy threshold: activity null, `privacy` set. */
export function hiddenRow(overrides: Partial<OfficeRow> = {}, minimumColleagues = 3): OfficeRow {
  return {
    ...officeRow(),
    NoOfEmails_ToAccount: null,
    NoOfEmails_FromAccount: null,
    NoOfMeetings_FromAccount: null,
    NoOfMeetings_ToAccount: null,
    NoOfContactsInvolved_Meetings: null,
    NoOfContactsInvolved_Emails: null,
    NoOfAccountContactsInvolved_Meetings: null,
    NoOfAccountContactsInvolved_Emails: null,
    EngagementStartdate: null,
    DaysSinceLastemail: null,
    DaysSinceLastMeeting: null,
    AverageDuration_Of_Meetings: null,
    AverageDuration_Of_AccountEmailReplies: null,
    LastInboundDate: null,
    LastOutboundDate: null,
    NextMeetingDate: null,
    privacy: { hidden: true, minimumColleagues },
    ...overrides,
  };
}

export function progress(overrides: Partial<RunProgress> = {}): RunProgress {
  return {
    runId: 'run-1',
    phase: 'collecting',
    percent: 40,
    mailboxesDone: 12,
    mailboxesTotal: 30,
    messagesProcessed: 5120,
    meetingsProcessed: 410,
    graphRequests: 96,
    throttleWaits: 2,
    errors: [],
    startedAt: '2026-01-26T08:00:00.000Z',
    updatedAt: '2026-01-26T08:01:00.000Z',
    ...overrides,
  };
}

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    trigger: 'manual',
    status: 'succeeded',
    startedAt: '2026-01-26T08:00:00.000Z',
    finishedAt: '2026-01-26T08:05:00.000Z',
    configVersion: 1,
    accountsEnriched: 287,
    emailsProcessed: 12345,
    meetingsProcessed: 678,
    daysCovered: 365,
    graphRequests: 512,
    failures: [],
    warnings: [],
    progress: progress({ phase: 'done', percent: 100 }),
    startedBy: 'Demo Admin',
    error: null,
    ...overrides,
  };
}

export function overview(overrides: Partial<Overview> = {}): Overview {
  return {
    lastRun: runSummary(),
    totalAccounts: 300,
    accountsEnriched: 287,
    emailsProcessed: 12345,
    meetingsProcessed: 678,
    daysCovered: 365,
    bands: { High: 40, Medium: 120, Low: 140 },
    staleCount: 23,
    staleGoneQuietCount: 15,
    staleNeverContactedCount: 8,
    staleDays: 60,
    history: [
      { runId: 'run-0', finishedAt: '2026-01-19T08:05:00.000Z', accountsEnriched: 270 },
      { runId: 'run-1', finishedAt: '2026-01-26T08:05:00.000Z', accountsEnriched: 287 },
    ],
    resultsRunId: 'run-1',
    configVersion: 1,
    // No owner column mapped unless a test maps one ("My accounts" falls back to all accounts).
    mine: { ownerColumnMapped: false, email: 'rita@contoso.com', totalAccounts: 0, accountsEnriched: 0, bands: { High: 0, Medium: 0, Low: 0 }, staleCount: 0, staleNeverContactedCount: 0 },
    ...overrides,
  };
}

/** A saved configuration (version 3, one contacts dataset `ds_1` with columns mail and account). */
export function savedConfig(): ConfigState {
  return {
    version: 3,
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'Ann',
    config: {
      name: 'Sales engagement',
      orgEntries: ['ussales@contoso.com'],
      consentAccepted: true,
      consentStatement: { acceptedBy: 'x', acceptedByName: 'Ann', acceptedAt: '2026-11-01T00:00:00.000Z' },
      contacts: { datasetId: 'ds_1', mapping: { email: 'mail', accountId: 'account' } },
      rules: { extraInternalDomains: [], exclusions: [], staleDays: 60, upcomingMeetingSuppressesStale: true, weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 }, minimumColleagues: 1 },
      mailboxCount: 14,
    },
  };
}

/** The dataset `savedConfig()` names, as GET /api/datasets/ds_1 answers it. */
export function savedDataset() {
  return { datasetId: 'ds_1', kind: 'contacts', fileName: 'crm.csv', rows: 3, columns: ['mail', 'account'], preview: [] };
}
