/**
 * The message extension: search accounts by name or domain from the compose box and insert an
 * account card; unfurl a link to the tab's account page into the same card. Pure over the
 * engagement port; the platform routes `composeExtension/query` and `/queryLink` here.
 */
import { accountLabel, daysSinceLastInteraction, isStale, topAccounts } from '../notifications/stale';
import { neverContacted } from '../cards/account-cards';
import { card, facts, openUrl, plain, scoreBand, text, title, type Element } from '../cards/card-kit';
import { findByName, similarity, words } from '../commands/fuzzy-match';
import { langFor, type Lang } from '../i18n';
import { isHidden } from '../privacy';
import type { AccountCardResult, AccountRow, EngagementPort, MessageExtensionDeps, MessageExtensionHandlers, StaleRule } from '../ports';

/** Below this a name is not offered for a typed query. */
const SEARCH_THRESHOLD = 0.6;

/** "5 days ago", "today", or "never". */
export function lastContact(row: AccountRow, lang: Lang): string {
  const days = daysSinceLastInteraction(row);
  if (days === null) return lang.m.common.never;
  return days === 0 ? lang.m.common.today : lang.m.common.ago(lang.f.days(days));
}

/** The card inserted into a message: what a colleague reading the chat needs about the account. */
export function accountInsertCard(row: AccountRow, rule: StaleRule, url: string, lang: Lang): AccountCardResult {
  const { m, f } = lang;
  const name = accountLabel(row);
  const band = scoreBand(row.EngagementScore, row.EngagementBand, lang);
  const body: Element[] = [title(plain(name))];
  if (isHidden(row)) {
    body.push(facts([[m.alert.score, band]]), text(m.privacy.hidden(f.number(row.privacy?.minimumColleagues ?? 2)), { subtle: true }));
  } else {
    body.push(
      facts([
        [m.alert.score, band],
        [m.score.lastContact, lastContact(row, lang)],
        [m.score.nextMeeting, row.NextMeetingDate ? f.date(row.NextMeetingDate) : m.score.noneScheduled],
        [m.score.stale, neverContacted(row) ? m.score.staleNever : isStale(row, rule) ? m.common.yes : m.common.no],
      ]),
    );
  }
  const preview = isHidden(row)
    ? { title: name, text: band }
    : { title: name, text: m.extension.preview(f.number(row.EngagementScore), m.common.band[row.EngagementBand], lastContact(row, lang)) };
  return { card: card(body, [openUrl(m.common.openInRapport, url)]), preview };
}

/** Accounts for a typed query, best first: exact name or id, then by name likeness or a domain that contains the query. */
export function rankAccounts(query: string, rows: AccountRow[], domains: ReadonlyMap<string, readonly string[]> | null, limit: number): AccountRow[] {
  const q = query.trim();
  if (!q) return topAccounts(rows, limit);
  const exact = findByName(
    q,
    rows.map((r) => ({ id: r.AccountId, name: accountLabel(r), row: r })),
    { threshold: 1.01 },
  );
  const first = exact.kind === 'match' ? [exact.item.row] : exact.kind === 'ambiguous' ? exact.candidates.map((c) => c.row) : [];
  const typed = words(q).join(' ');
  const lower = q.toLowerCase().replace(/^@/, '');
  const scored = rows
    .filter((r) => !first.includes(r))
    .map((row) => {
      const name = accountLabel(row);
      let score = similarity(q, name);
      if (typed && words(name).join(' ').includes(typed)) score = Math.max(score, 0.9);
      if (lower.includes('.') || lower.length >= 3) {
        if (domains?.get(row.AccountId)?.some((d) => d.toLowerCase().includes(lower))) score = Math.max(score, 0.95);
      }
      return { row, score };
    })
    .filter((s) => s.score >= SEARCH_THRESHOLD)
    .sort((a, b) => b.score - a.score || b.row.EngagementScore - a.row.EngagementScore || accountLabel(a.row).localeCompare(accountLabel(b.row)));
  return [...first, ...scored.map((s) => s.row)].slice(0, limit);
}

/** The account id in a link to the tab's account page (`…/#/accounts/<id>`), or null. */
export function accountIdOfLink(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const match = /^#\/accounts\/([^/?#]+)\/?(?:[?].*)?$/.exec(parsed.hash);
  if (!match) return null;
  try {
    const id = decodeURIComponent(match[1]!);
    return id.length > 0 && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

export function createMessageExtensions(deps: MessageExtensionDeps): MessageExtensionHandlers {
  const { engagement } = deps;
  return {
    async searchAccounts(query, locale, limit) {
      const lang = langFor(locale);
      const [rows, rule, domains] = await Promise.all([engagement.yearRows(), engagement.staleRule(), domainsOf(engagement)]);
      return rankAccounts(query.slice(0, 200), rows, domains, limit).map((row) => accountInsertCard(row, rule, engagement.deepLink(row.AccountId), lang));
    },
    async unfurl(url, locale) {
      const id = accountIdOfLink(url);
      if (!id) return null;
      const detail = await engagement.account(id);
      if (!detail) return null;
      return accountInsertCard(detail.year, await engagement.staleRule(), engagement.deepLink(id), langFor(locale));
    },
  };
}

async function domainsOf(engagement: EngagementPort): Promise<ReadonlyMap<string, readonly string[]> | null> {
  return (await engagement.accountDomains?.()) ?? null;
}
