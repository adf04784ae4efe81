import { plural } from '../../i18n/format';
import { enUS } from '../../i18n/en-US';
import { idID } from '../../i18n/id-ID';
import type { Locale } from '../../i18n/locale';

describe('plural', () => {
  const rows = { one: '# row', other: '# rows' };

  it.each<[Locale, number, number, string]>([
    ['en-US', 0, 0, '0 rows'],
    ['en-US', 1, 0, '1 row'],
    ['en-US', 2, 0, '2 rows'],
    ['en-US', 1234, 0, '1,234 rows'],
    ['en-US', 1.04, 0, '1 row'],
    ['en-US', 1.5, 1, '1.5 rows'],
    ['en-US', 1, 1, '1 row'],
    ['id-ID', 1, 0, '1 rows'],
    ['id-ID', 1234, 0, '1.234 rows'],
    ['id-ID', 1.5, 1, '1,5 rows'],
  ])('when %s counts %p with %p fraction digits, then it reads %p', (locale, count, digits, expected) => {
    // id-ID has no `one` category: PluralRules answers `other` for every count.
    expect(plural(locale, count, locale === 'id-ID' ? { other: rows.other } : rows, digits)).toBe(expected);
  });

  it('when a language has no form for the category, then `other` is used', () => {
    expect(plural('en-US', 1, { other: '# items' })).toBe('1 items');
  });

  it.each<[string, string, string]>([
    ['rows', enUS.office.total(1), '1 row'],
    ['rows', enUS.office.total(2), '2 rows'],
    ['members', enUS.segments.members(1), '1 member'],
    ['members', enUS.segments.members(1500), '1,500 members'],
    ['mailboxes', enUS.setup.org.total(1), '1 mailbox selected'],
    ['users', enUS.users.count(1), '1 user'],
    ['accounts', enUS.dashboard.ofAccounts(1), 'of 1 account'],
    ['matching accounts', enUS.segments.previewCount(1), '1 matching account'],
    ['uploaded rows', enUS.setup.dataset.uploaded('contacts.csv', 1), 'contacts.csv: 1 row'],
    ['history', enUS.card.historySummary(1, 2, 1), 'Email and meeting history over 1 period: 1 email and 2 meetings.'],
    ['points', enUS.card.signalBar('Emails', 1), 'Emails: 1 point'],
    ['fractional points', enUS.card.signalBar('Emails', 12.25), 'Emails: 12.3 points'],
    ['score change', enUS.card.changeUpLabel(1), 'up 1 point since the last run'],
    ['id rows', idID.office.total(1), '1 baris'],
    ['id rows, thousands', idID.office.total(1234), '1.234 baris'],
    ['id members', idID.segments.members(2), '2 anggota'],
    ['id points', idID.card.signalBar('Email', 12.25), 'Email: 12,3 poin'],
  ])('when the catalogue counts %s, then it reads %p', (_, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
