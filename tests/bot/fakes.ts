/** A small in-memory EngagementPort and an OfficeRow builder for bot tests. */
import { redactRow } from '../../api/src/engagement/row-privacy';
import type { OfficeRow } from '../../api/src/engagement/types';
import type { AccountCardResult, AccountDetail, AccountRow, EngagementPort, MessageExtensionHandlers, RunInfo, RunRefusal, StaleRule, StartRunResult } from '../../bot/src/ports';

export function officeRow(accountId: string, name: string | null, overrides: Partial<OfficeRow> = {}): OfficeRow {
  return {
    AccountId: accountId,
    AccountName: name,
    EngagementScore: 50,
    NoOfEmails_ToAccount: 10,
    NoOfEmails_FromAccount: 8,
    NoOfMeetings_FromAccount: 1,
    NoOfMeetings_ToAccount: 2,
    NoOfContactsInvolved_Meetings: 2,
    NoOfContactsInvolved_Emails: 3,
    NoOfAccountContactsInvolved_Meetings: 2,
    NoOfAccountContactsInvolved_Emails: 4,
    EngagementStartdate: '2025-03-01T09:00:00.000Z',
    DaysSinceLastemail: 5,
    DaysSinceLastMeeting: 12,
    AverageDuration_Of_Meetings: 30,
    AverageDuration_Of_AccountEmailReplies: 6.5,
    AggregationStartdate: '2025-01-12T00:00:00.000Z',
    AggregationLevel: 'year',
    LastInboundDate: '2026-01-05T10:00:00.000Z',
    LastOutboundDate: '2026-01-07T10:00:00.000Z',
    NextMeetingDate: null,
    EngagementBand: 'Medium',
    EngagementScoreChange: null,
    ...overrides,
  };
}

/** Stale by the default rule: nothing for 90 days and no meeting planned. */
export function staleRow(accountId: string, name: string, overrides: Partial<OfficeRow> = {}): OfficeRow {
  return officeRow(accountId, name, { DaysSinceLastemail: 90, DaysSinceLastMeeting: 120, EngagementScore: 8, EngagementBand: 'Low', ...overrides });
}

/**
 * A year row as the API hands it to the bot when the privacy threshold hides it: one colleague
 * works with the account, the threshold is `minimumColleagues`. Its stored activity is that of
 * a stale row (so showing it would be wrong twice over).
 */
export function hiddenRow(accountId: string, name: string, minimumColleagues = 2, overrides: Partial<OfficeRow> = {}): AccountRow {
  return redactRow(staleRow(accountId, name, { NoOfContactsInvolved_Emails: 1, NoOfContactsInvolved_Meetings: 1, DaysSinceLastemail: 77, ...overrides }), minimumColleagues);
}

export function runInfo(id: string, overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    id,
    trigger: 'schedule',
    status: 'succeeded',
    startedAt: '2026-01-12T06:00:00.000Z',
    finishedAt: '2026-01-12T06:05:00.000Z',
    accountsEnriched: 3,
    emailsProcessed: 1234,
    meetingsProcessed: 210,
    daysCovered: 365,
    ...overrides,
  };
}

export class FakeEngagement implements EngagementPort {
  rows: AccountRow[] = [];
  run: RunInfo | null = null;
  next: Date | null = null;
  admins = new Set<string>();
  /** The port's optional methods: absent unless a test sets them (the bot must work without them). */
  activeRun?: EngagementPort['activeRun'];
  accountDomains?: EngagementPort['accountDomains'];
  accountsOwnedBy?: EngagementPort['accountsOwnedBy'];
  rule: StaleRule = { staleDays: 60, upcomingMeetingSuppressesStale: true };
  /** Set to refuse the next runs; `startRunFault` makes them reject instead. */
  startRunRefusal: RunRefusal | null = null;
  startRunFault: Error | null = null;
  readonly runsStartedBy: string[] = [];

  yearRows(): Promise<AccountRow[]> {
    return Promise.resolve(this.rows);
  }

  account(accountId: string): Promise<AccountDetail | null> {
    const year = this.rows.find((r) => r.AccountId === accountId);
    if (!year) return Promise.resolve(null);
    return Promise.resolve({
      year,
      explanation: {
        score: year.EngagementScore,
        // As the API answers: a hidden row's explanation has no signals.
        signals: year.privacy
          ? []
          : [
              { signal: 'emails', value: 18, percentile: 0.5, weight: 0.3, points: 15 },
              { signal: 'meetings', value: 3, percentile: 0.5, weight: 0.3, points: 15 },
            ],
      },
    });
  }

  lastRun(): Promise<RunInfo | null> {
    return Promise.resolve(this.run);
  }

  nextRunAt(): Promise<Date | null> {
    return Promise.resolve(this.next);
  }

  startRun(requestedByAadObjectId: string): Promise<StartRunResult> {
    if (this.startRunFault) return Promise.reject(this.startRunFault);
    if (this.startRunRefusal) return Promise.resolve({ started: false, reason: this.startRunRefusal });
    this.runsStartedBy.push(requestedByAadObjectId);
    this.run = runInfo('run-manual', { trigger: 'manual', status: 'running', finishedAt: null });
    return Promise.resolve({ started: true, run: this.run });
  }

  isAdmin(aadObjectId: string): Promise<boolean> {
    return Promise.resolve(this.admins.has(aadObjectId));
  }

  deepLink(accountId?: string): string {
    const context = encodeURIComponent(JSON.stringify({ subEntityId: accountId ?? 'dashboard' }));
    return `https://teams.microsoft.com/l/entity/rapport-app/dashboard?context=${context}`;
  }

  staleRule(): Promise<StaleRule> {
    return Promise.resolve(this.rule);
  }
}


/**
 * Message-extension logic that records what the platform asked and answers with a minimal valid
 * card per matching account: the platform tests check routing and the response envelope, not
 * the card (E2's tests cover bot/src/extensions).
 */
export class FakeMessageExtensions implements MessageExtensionHandlers {
  readonly searches: { query: string; locale: string; limit: number }[] = [];
  readonly unfurls: { url: string; locale: string }[] = [];
  fail = false;

  constructor(private readonly accounts: { id: string; name: string }[] = [{ id: 'acc-1', name: 'Adatum GmbH' }]) {}

  searchAccounts(query: string, locale: string, limit: number): Promise<AccountCardResult[]> {
    this.searches.push({ query, locale, limit });
    if (this.fail) return Promise.reject(new Error('search backend down at 10.0.0.7'));
    const matches = this.accounts.filter((a) => a.name.toLowerCase().includes(query.toLowerCase())).slice(0, limit);
    return Promise.resolve(matches.map((a) => this.result(a)));
  }

  unfurl(url: string, locale: string): Promise<AccountCardResult | null> {
    this.unfurls.push({ url, locale });
    const id = /#\/accounts\/([^/?#]+)/.exec(url)?.[1];
    const account = this.accounts.find((a) => a.id === (id && decodeURIComponent(id)));
    return Promise.resolve(account ? this.result(account) : null);
  }

  private result(account: { id: string; name: string }): AccountCardResult {
    return {
      card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: account.name, wrap: true }] },
      preview: { title: account.name, text: account.id },
    };
  }
}
