import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SegmentsPage } from '../components/segments-page';
import { renderWithProviders } from '../../../testing/render';
import { installFakeApi, json } from '../../../testing/fake-api';
import { officeRow } from '../../../testing/fixtures';

const staleRule = {
  kind: 'group',
  op: 'and',
  children: [
    { kind: 'condition', column: 'DaysSinceLastemail', operator: '>', value: 60 },
    { kind: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 },
  ],
};

describe('Segments', () => {
  it('when a rule is built and saved, then the preview and the POST carry exactly the rule on screen', async () => {
    // Arrange
    const api = installFakeApi({
      'GET /api/segments': { segments: [{ id: 'stale', name: 'stale', rule: staleRule, builtIn: true, memberCount: 23 }] },
      'POST /api/segments/preview': { total: 2, members: [officeRow({ AccountId: 'A-9', AccountName: 'Northwind' })] },
      'POST /api/segments': (req) => json({ id: 'seg-1', builtIn: false, memberCount: 2, ...(req.body as object) }, 201),
    });
    renderWithProviders(<SegmentsPage />);
    const list = await screen.findByRole('table', { name: 'Saved segments' });
    // The built-in segment says its rule in words (read back from the rule the API sends).
    expect(within(list).getAllByRole('row')[1]).toHaveTextContent(/^Stale accounts Built-inNo email and no meeting for more than 60 days \(or never\)\.23 members/);

    // Act: keep the two starter conditions, switch to OR, and add a third on the score.
    const rule = screen.getByRole('group', { name: 'Rule' });
    await userEvent.selectOptions(within(rule).getAllByLabelText('Match')[0] as HTMLElement, 'or');
    await userEvent.click(within(rule).getByRole('button', { name: 'Add condition' }));
    const columns = within(rule).getAllByLabelText('Column');
    const operators = within(rule).getAllByLabelText('Operator');
    const values = within(rule).getAllByLabelText('Value');
    await userEvent.selectOptions(columns[2] as HTMLElement, 'EngagementScore');
    await userEvent.selectOptions(operators[2] as HTMLElement, '<');
    await userEvent.clear(values[2] as HTMLElement);
    await userEvent.type(values[2] as HTMLElement, '30');
    await userEvent.type(screen.getByLabelText(/Segment name/), 'Cooling off');

    // Assert the live preview follows the rule on screen.
    const expectedRule = {
      kind: 'group',
      op: 'or',
      children: [
        { kind: 'condition', column: 'DaysSinceLastemail', operator: '>', value: 60 },
        { kind: 'condition', column: 'DaysSinceLastMeeting', operator: '>', value: 60 },
        { kind: 'condition', column: 'EngagementScore', operator: '<', value: 30 },
      ],
    };
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/segments/preview').at(-1)?.body).toEqual({ rule: expectedRule }));
    expect(await screen.findByText(/2 matching accounts/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Northwind' })).toHaveAttribute('href', '#/accounts/A-9');

    await userEvent.click(screen.getByRole('button', { name: 'Save segment' }));

    await screen.findByText('Segment “Cooling off” saved.');
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/segments')?.body).toEqual({ name: 'Cooling off', rule: expectedRule });
    expect(api.calls.filter((c) => c.path === '/api/segments' && c.method === 'GET')).toHaveLength(2);
  });

  it('when a measure is calculated by month, then the value and a monthly table show', async () => {
    const api = installFakeApi({
      'GET /api/segments': { segments: [{ id: 'stale', name: 'stale', rule: staleRule, builtIn: true, memberCount: 23 }] },
      'POST /api/segments/preview': { total: 23, members: [] },
      'POST /api/measures': { value: 54.25, byMonth: [{ month: '2025-12-01', value: 50 }, { month: '2026-01-01', value: 58.5 }] },
    });
    renderWithProviders(<SegmentsPage />);
    await screen.findByRole('table', { name: 'Saved segments' });

    await userEvent.selectOptions(screen.getByLabelText('Segment'), 'stale');
    await userEvent.click(screen.getByRole('button', { name: 'Calculate' }));

    expect(await screen.findByText('Average of Engagement score: 54.3')).toBeInTheDocument();
    expect(api.calls.find((c) => c.path === '/api/measures')?.body).toEqual({ fn: 'avg', column: 'EngagementScore', byMonth: true, segmentId: 'stale' });
    const table = screen.getByRole('table', { name: /Chart data/ });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual(['MonthResult', 'Dec 202550', 'Jan 202658.5']);
  });
});
