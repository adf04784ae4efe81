/**
 * The bot's view of Rapport (bot/src/ports.ts), implemented over the API's services.
 */
import type { EngagementPort, RunInfo } from '../../bot/src/ports';
import type { AppConfig } from './config';
import type { Services } from './services';
import type { RunSummary } from './services/run-types';

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

export function createEngagementPort(config: AppConfig, services: Services): EngagementPort {
  return {
    yearRows: () => services.results.yearRows(),
    account: async (accountId) => {
      try {
        const card = await services.results.account(accountId);
        return { year: card.year, explanation: card.explanation };
      } catch (e) {
        if ((e as { code?: string }).code === 'NOT_FOUND') return null;
        throw e;
      }
    },
    lastRun: async () => {
      const finished = (await services.runs.list()).find((r) => r.status !== 'running');
      return finished ? runInfoOf(finished) : null;
    },
    nextRunAt: () => services.scheduler.nextRunAt(),
    startRun: async (requestedBy) => {
      const admin = config.mode === 'demo' || config.auth.adminObjectIds.includes(requestedBy);
      const summary = await services.runs.start('manual', { id: requestedBy, name: 'Teams bot', tenantId: config.graph.tenantId ?? 'demo', isAdmin: admin });
      return runInfoOf(summary);
    },
    // Bot messages carry the sender's object id but not their app roles, so bot admins are listed by id.
    isAdmin: async (aadObjectId) => config.mode === 'demo' || config.auth.adminObjectIds.includes(aadObjectId),
    deepLink: (accountId) => deepLinkFor(config, accountId),
    staleRule: () => services.results.staleRules(),
  };
}
