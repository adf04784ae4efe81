import { screen, within } from '@testing-library/react';
import { SegmentsPage } from '../components/segments-page';
import { renderWithProviders } from '../../../testing/render';
import { installFakeApi } from '../../../testing/fake-api';
import { officeRow } from '../../../testing/fixtures';

// The built-in rules as api/src/engagement/segments.ts builds them at 45 days with suppression on.
const over = (column: string) => ({
  kind: 'group',
  op: 'or',
  children: [
    { kind: 'condition', column, operator: 'isEmpty' },
    { kind: 'condition', column, operator: '>', value: 45 },
  ],
});
const staleChildren = [over('DaysSinceLastemail'), over('DaysSinceLastMeeting'), { kind: 'condition', column: 'NextMeetingDate', operator: 'isEmpty' }];
const never = [...staleChildren, { kind: 'condition', column: 'DaysSinceLastemail', operator: 'isEmpty' }, { kind: 'condition', column: 'DaysSinceLastMeeting', operator: 'isEmpty' }];
const SEGMENTS = [
  { id: 'stale', name: 'Stale accounts', rule: { kind: 'group', op: 'and', children: staleChildren }, builtIn: true, memberCount: 12, createdBy: null, updatedAt: null },
  { id: 'stale-gone-quiet', name: 'Stale accounts: gone quiet', rule: { kind: 'group', op: 'and', children: staleChildren }, builtIn: true, memberCount: 9, createdBy: null, updatedAt: null },
  { id: 'stale-never-contacted', name: 'Stale accounts: never contacted', rule: { kind: 'group', op: 'and', children: never }, builtIn: true, memberCount: 3, createdBy: null, updatedAt: null },
];

describe('the built-in stale segments', () => {
  it('when the page opens on the never-contacted group (the dashboard link), then its members and its rule show, read-only, with a way to the settings', async () => {
    // Arrange
    installFakeApi({
      'GET /api/segments': { segments: SEGMENTS },
      'GET /api/segments/:id/members': { total: 1, members: [officeRow({ AccountId: 'D', AccountName: 'Litware', DaysSinceLastemail: null, DaysSinceLastMeeting: null })] },
      'POST /api/segments/preview': { total: 12, members: [] },
    });

    // Act
    renderWithProviders(<SegmentsPage open="stale-never-contacted" />);

    // Assert: the list names the groups and says the stale rule in words.
    const list = await screen.findByRole('table', { name: 'Saved segments' });
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('No email and no meeting for more than 45 days (or never), and no meeting planned.');
    expect(rows[1]).toHaveTextContent(/^Stale: gone quiet/);
    expect(rows[2]).toHaveTextContent(/^Stale: never contacted/);
    expect(within(rows[2] as HTMLElement).getByRole('button', { name: 'Show members' })).toHaveAttribute('aria-pressed', 'true');
    expect(within(rows[2] as HTMLElement).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();

    const rule = await screen.findByRole('region', { name: 'Rule of “Stale: never contacted”' });
    expect(rule).toHaveTextContent('Stale accounts with no email and no meeting in the whole past year.');
    expect(rule).toHaveTextContent('All of these:Any of these:Days since last email is emptyDays since last email greater than 45');
    expect(within(rule).getByRole('link', { name: 'Change the threshold in settings' })).toHaveAttribute('href', '#/settings');
    expect(await screen.findByRole('link', { name: 'Litware' })).toHaveAttribute('href', '#/accounts/D');

    // The new-segment builder starts from the configured stale rule, so its preview is the stale count.
    expect(screen.getByText('The new segment starts from the stale rule; change it as you like.')).toBeInTheDocument();
  });

  it('when a seller reads the rule, then the link says the threshold can be seen in settings', async () => {
    installFakeApi({
      'GET /api/segments': { segments: SEGMENTS },
      'GET /api/segments/:id/members': { total: 0, members: [] },
      'POST /api/segments/preview': { total: 12, members: [] },
    });
    renderWithProviders(<SegmentsPage open="stale" />, { host: { isAdmin: false } });
    const rule = await screen.findByRole('region', { name: 'Rule of “Stale accounts”' });
    expect(within(rule).getByRole('link', { name: 'See the threshold in settings' })).toHaveAttribute('href', '#/settings');
  });
});
