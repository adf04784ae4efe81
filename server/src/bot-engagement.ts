/**
 * The bot's view of Rapport (its `EngagementPort`), implemented over the API's services. This
 * adapter is the one place that knows both sides: the bot owns the port's types, the API owns
 * the services, and neither imports the other.
 */
import { isAppError, type AppConfig, type RunSummary, type Services, type Viewer } from '../../api/src';
import type { EngagementPort, RunInfo, RunRefusal } from '../../bot/src';

/**
 * The bot reads results as a viewer who is not an admin, whoever asks: its channel messages
 * and notifications are read by everyone there, so rows under the privacy threshold are hidden.
 */
export const BOT_VIEWER: Viewer = { isAdmin: false };

export function runInfoOf(s: RunSummary): RunInfo {
  return {
    id: s.id,
    trigger: s.trigger,
    status: s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    accountsEnriched: s.accountsEnriched,
    emailsProcessed: s.emailsProcessed,
    meetingsProcessed: s.meetingsProcessed,
    daysCovered: s.daysCovered,
  };
}

/** Teams deep link to the dashboard or a customer card; a plain tab URL in demo mode. */
export function deepLinkFor(config: AppConfig, accountId?: string): string {
  if (config.mode === 'demo') {
    const origin = config.publicUrl ?? `http://localhost:${config.port}`;
    return accountId ? `${origin}/#/accounts/${encodeURIComponent(accountId)}` : `${origin}/#/`;
  }
  const context = encodeURIComponent(JSON.stringify(accountId ? { subEntityId: accountId } : {}));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(config.teamsAppId)}/rapport-dashboard?context=${context}`;
}

/** The API's refusals of a manual run that the bot explains; any other error stays an error. */
export function runRefusalOf(e: unknown): RunRefusal | null {
  if (!isAppError(e)) return null;
  switch (e.code) {
    case 'RUN_IN_PROGRESS':
      return 'runInProgress';
    case 'CONSENT_REQUIRED':
      return 'consentRequired';
    case 'NOT_CONFIGURED':
      return 'notConfigured';
    default:
      return null;
  }
}

/**
 * `listeningPort` is the port the server bound: with PORT=0 (tests) `config.port` is 0, and a
 * demo link must name the real one.
 */
export function createEngagementPort(config: AppConfig, services: Services, listeningPort: () => number = () => config.port): EngagementPort {
  // Bot messages carry the sender's object id but not their app roles, so bot admins are listed by id.
  const isAdmin = (aadObjectId: string) => config.mode === 'demo' || config.auth.adminObjectIds.includes(aadObjectId);
  return {
    yearRows: () => services.results.yearRows(BOT_VIEWER),
    account: async (accountId) => {
      try {
        const card = await services.results.account(accountId, BOT_VIEWER);
        return { year: card.year, explanation: card.explanation };
      } catch (e) {
        if (isAppError(e) && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
    lastRun: async () => {
      const finished = (await services.runs.list()).find((r) => r.status !== 'running');
      return finished ? runInfoOf(finished) : null;
    },
    activeRun: async () => {
      const running = (await services.runs.list()).find((r) => r.status === 'running');
      if (!running) return null;
      const p = running.progress;
      return {
        startedAt: running.startedAt,
        percent: p.percent,
        mailboxesDone: p.mailboxesDone,
        mailboxesTotal: p.mailboxesTotal,
        messagesProcessed: p.messagesProcessed,
        meetingsProcessed: p.meetingsProcessed,
      };
    },
    nextRunAt: () => services.scheduler.nextRunAt(),
    startRun: async (requestedBy) => {
      try {
        const summary = await services.runs.start('manual', {
          id: requestedBy,
          name: 'Teams bot',
          tenantId: config.graph.tenantId ?? 'demo',
          isAdmin: isAdmin(requestedBy),
        });
        return { started: true, run: runInfoOf(summary) };
      } catch (e) {
        const reason = runRefusalOf(e);
        if (reason) return { started: false, reason };
        throw e;
      }
    },
    isAdmin: (aadObjectId) => Promise.resolve(isAdmin(aadObjectId)),
    deepLink: (accountId) => deepLinkFor({ ...config, port: listeningPort() }, accountId),
    staleRule: () => services.results.staleRules(),
    // Read from the configured dataset, as the run's account directory builds them.
    accountDomains: () => services.results.accountDomains(),
    accountsOwnedBy: (email) => services.results.accountsOwnedBy(email),
  };
}
