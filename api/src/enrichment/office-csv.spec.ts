import { ACTIVITY_HIDDEN_COLUMN, csvField, officeRowsToCsv } from './office-csv';
import { redactRow } from '../engagement/row-privacy';
import { OFFICE_COLUMNS, type OfficeRow } from '../engagement/types';

describe('office CSV', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [12.5, '12.5'],
    ['Fabrikam', 'Fabrikam'],
    ['Fab, Inc', '"Fab, Inc"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-5 lead', "'-5 lead"],
  ])('when the value is %p, then the field is %p', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('when there are no rows, then only the header with every column in order is written', () => {
    expect(officeRowsToCsv([])).toBe(OFFICE_COLUMNS.join(',') + '\r\n');
  });
});

describe('office CSV and the privacy threshold', () => {
  const row = (accountId: string, colleagues: number): OfficeRow => ({
    AccountId: accountId,
    AccountName: null,
    EngagementScore: 40,
    NoOfEmails_ToAccount: 3,
    NoOfEmails_FromAccount: 1,
    NoOfMeetings_FromAccount: 0,
    NoOfMeetings_ToAccount: 0,
    NoOfContactsInvolved_Meetings: 0,
    NoOfContactsInvolved_Emails: colleagues,
    NoOfAccountContactsInvolved_Meetings: 0,
    NoOfAccountContactsInvolved_Emails: 1,
    EngagementStartdate: '2025-05-01T00:00:00.000Z',
    DaysSinceLastemail: 12,
    DaysSinceLastMeeting: null,
    AverageDuration_Of_Meetings: null,
    AverageDuration_Of_AccountEmailReplies: null,
    AggregationStartdate: '2025-03-02T00:00:00.000Z',
    AggregationLevel: 'year',
    LastInboundDate: null,
    LastOutboundDate: '2026-02-01T00:00:00.000Z',
    NextMeetingDate: null,
    EngagementBand: 'Low',
    EngagementScoreChange: null,
  });

  it('when no row is hidden and no column is asked for (the CLI, an admin), then the columns are exactly the Office columns', () => {
    const csv = officeRowsToCsv([row('A', 1), row('B', 3)]);
    expect(csv.split('\r\n')[0]).toBe(OFFICE_COLUMNS.join(','));
    expect(csv).not.toContain(ACTIVITY_HIDDEN_COLUMN);
  });

  it('when the column is asked for, then it comes last and says which rows are hidden, whose activity cells are empty', () => {
    const [header, visible, hidden] = officeRowsToCsv([row('A', 3), redactRow(row('B', 1), 2)], { activityHiddenColumn: true }).split('\r\n');
    expect(header).toBe([...OFFICE_COLUMNS, 'ActivityHidden'].join(','));
    expect(visible).toBe('A,40,3,1,0,0,0,3,0,1,2025-05-01T00:00:00.000Z,12,,,,2025-03-02T00:00:00.000Z,year,,,2026-02-01T00:00:00.000Z,,Low,,false');
    expect(hidden).toBe('B,40,,,,,,,,,,,,,,2025-03-02T00:00:00.000Z,year,,,,,Low,,true');
  });

  it('when a row is hidden but the column was not asked for, then the column is added anyway: an empty cell must not read as "never"', () => {
    expect(officeRowsToCsv([redactRow(row('B', 0), 2)]).split('\r\n')[0]).toBe([...OFFICE_COLUMNS, 'ActivityHidden'].join(','));
  });
});
