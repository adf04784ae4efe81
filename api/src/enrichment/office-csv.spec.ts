import { csvField, officeRowsToCsv } from './office-csv';
import { OFFICE_COLUMNS } from '../engagement/types';

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
