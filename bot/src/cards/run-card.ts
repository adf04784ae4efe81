/** The card that tells a conversation a run it started ended, or the admins that a scheduled run failed. */
import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';
import type { RunInfo } from '../ports';
import { card, facts, openUrl, text, title } from './card-kit';

export function runEndedCard(run: RunInfo, audience: 'starter' | 'admins', dashboardUrl: string, lang: Lang): AdaptiveCardJson {
  const { m, f } = lang;
  const when = f.dateTime(run.finishedAt ?? run.startedAt);
  const actions = [openUrl(m.common.openDashboard, dashboardUrl)];
  if (run.status === 'failed') {
    return card([title(audience === 'admins' ? m.run.scheduledFailedTitle : m.run.failedTitle), text(when, { subtle: true }), text(m.run.failedBody)], actions);
  }
  if (run.status === 'cancelled') return card([title(m.run.cancelledTitle), text(when, { subtle: true }), text(m.run.cancelledBody)], actions);
  return card(
    [
      title(run.status === 'partial' ? m.run.partialTitle : m.run.finishedTitle),
      text(when, { subtle: true }),
      facts([
        [m.summary.customers, f.number(run.accountsEnriched)],
        [m.summary.emails, f.number(run.emailsProcessed)],
        [m.summary.meetings, f.number(run.meetingsProcessed)],
        [m.summary.days, f.number(run.daysCovered)],
      ]),
    ],
    actions,
  );
}
