import { Readable } from 'node:stream';
import { readCsvTable, toAccounts, toContacts } from './customer-csv';

const csv = (text: string) => Readable.from([text]);

describe('customer CSV', () => {
  it('when a CSV has a header and rows, then columns and rows are returned', async () => {
    const t = await readCsvTable(csv('\uFEFFemail,account_id,name\r\na@f.com,A1,Fabrikam\r\n"b@f.com",A1,"Fab, Inc"\n'), 'c.csv');
    expect(t.columns).toEqual(['email', 'account_id', 'name']);
    expect(t.rows).toEqual([
      ['a@f.com', 'A1', 'Fabrikam'],
      ['b@f.com', 'A1', 'Fab, Inc'],
    ]);
  });

  it.each([
    ['a row has the wrong number of fields', 'email,acc\nx@y.com,1\nz@y.com\n', /c\.csv line 3/],
    ['a quote is not closed', 'email,acc\n"x@y.com,1\n', /c\.csv/],
    ['the file is empty', '', /empty; it needs a header/],
    ['the header repeats a column', 'email,email\n', /"email" twice/],
  ])('when %s, then CSV_MALFORMED names the file', async (_label, text, message) => {
    await expect(readCsvTable(csv(text), 'c.csv')).rejects.toMatchObject({ code: 'CSV_MALFORMED', message: expect.stringMatching(message) });
  });

  it('when a mapped column is missing, then CSV_MISSING_COLUMN names it and lists the columns', async () => {
    const t = await readCsvTable(csv('mail,acc\nx@y.com,1\n'), 'c.csv');
    expect(() => toContacts(t, { email: 'email', accountId: 'acc' })).toThrow(/c\.csv: no column "email" \(email column\)\. Its columns are: mail, acc\./);
  });

  it('when contacts are mapped, then rows without an account are skipped and counted', async () => {
    const t = await readCsvTable(csv('e,a,n\nx@y.com,1,Y\nq@y.com,,\n,2,\n'), 'c.csv');
    expect(toContacts(t, { email: 'e', accountId: 'a', accountName: 'n' })).toEqual({
      contacts: [
        { email: 'x@y.com', accountId: '1', accountName: 'Y' },
        { email: '', accountId: '2', accountName: null },
      ],
      rowsWithoutAccount: 1,
    });
  });

  it('when accounts are mapped, then name and domain are optional', async () => {
    const t = await readCsvTable(csv('id,site\n1,https://www.y.com\n'), 'a.csv');
    expect(toAccounts(t, { accountId: 'id', domain: 'site' })).toEqual([{ accountId: '1', name: null, domain: 'https://www.y.com' }]);
  });
});
