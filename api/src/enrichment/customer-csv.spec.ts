import { Readable } from 'node:stream';
import { detectDelimiter, readCsvTable, toAccounts, toContacts, type CsvDelimiter } from './customer-csv';

const csv = (text: string) => Readable.from([text]);
const bytes = (...parts: (string | number[])[]) => Readable.from([Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))]);

describe('customer CSV', () => {
  it('when a CSV has a header and rows, then columns and rows are returned', async () => {
    const t = await readCsvTable(csv('\uFEFFemail,account_id,name\r\na@f.com,A1,Fabrikam\r\n"b@f.com",A1,"Fab, Inc"\n'), 'c.csv');
    expect(t.columns).toEqual(['email', 'account_id', 'name']);
    expect(t.rows).toEqual([
      ['a@f.com', 'A1', 'Fabrikam'],
      ['b@f.com', 'A1', 'Fab, Inc'],
    ]);
    expect(t.delimiter).toBe('comma');
  });

  it.each<[string, string, CsvDelimiter]>([
    ['commas', 'email,account,name\na@b.com,1,X\n', 'comma'],
    ['semicolons (Excel in a comma-decimal locale)', 'email;account;name\na@b.com;1;X\n', 'semicolon'],
    ['tabs', 'email\taccount\tname\na@b.com\t1\tX\n', 'tab'],
    ['semicolons, with commas inside the names', 'email;account;name\na@b.com;1;"Fab, Inc"\n', 'semicolon'],
    ['semicolons and a comma in a quoted header', '"name, full";email\nX;a@b.com\n', 'semicolon'],
    ['semicolons with decimal commas in the rows', 'name;revenue,EUR\nAcme;1,5\nContoso;12\n', 'semicolon'],
    ['commas with one semicolon in a name', 'name,city\nAcme;Ltd,Paris\nContoso,Lyon\n', 'comma'],
    ['a BOM before semicolons', '\uFEFFemail;account\na@b.com;1\n', 'semicolon'],
    ['one column', 'email\na@b.com\n', 'comma'],
    ['a header only', 'email;account', 'semicolon'],
    ['Windows line ends', 'a\tb\r\n1\t2\r\n', 'tab'],
    ['nothing', '', 'comma'],
  ])('when the file is separated by %s, then the delimiter is %s', (_label, head, delimiter) => {
    expect(detectDelimiter(head)).toBe(delimiter);
  });

  it('when a semicolon file is read, then its columns are split on semicolons and quoted commas stay in the value', async () => {
    const t = await readCsvTable(csv('email;account;name\r\na@b.com;A1;"Fab, Inc"\r\nc@b.com;A2;Contoso\r\n'), 'c.csv');
    expect(t).toEqual({
      fileName: 'c.csv',
      delimiter: 'semicolon',
      columns: ['email', 'account', 'name'],
      rows: [
        ['a@b.com', 'A1', 'Fab, Inc'],
        ['c@b.com', 'A2', 'Contoso'],
      ],
    });
  });

  it('when a tab file has empty cells, then they stay empty cells', async () => {
    const t = await readCsvTable(csv('email\taccount\tname\na@b.com\t\tX\n'), 'c.csv');
    expect(t.rows).toEqual([['a@b.com', '', 'X']]);
    expect(t.delimiter).toBe('tab');
  });

  it('when the header and first row arrive in many small chunks, then detection waits for them', async () => {
    const text = 'email;account\na@b.com;1\nc@b.com;2\n';
    const t = await readCsvTable(Readable.from([...text]), 'c.csv');
    expect(t.delimiter).toBe('semicolon');
    expect(t.rows).toEqual([
      ['a@b.com', '1'],
      ['c@b.com', '2'],
    ]);
  });

  it.each<[string, Readable, number, number]>([
    ['a Latin-1 é in a row', bytes('email,name\na@b.com,caf', [0xe9], '\n'), 22, 2],
    ['a Windows-1252 quote in the header', bytes('email,', [0x93], 'name', [0x94], '\n'), 6, 1],
    ['a character cut off at the end', bytes('email\na@b.com', [0xe2, 0x82]), 13, 2],
  ])('when the file holds %s, then ENCODING_INVALID names the byte offset and line', async (_label, input, byteOffset, line) => {
    await expect(readCsvTable(input, 'c.csv')).rejects.toMatchObject({
      code: 'ENCODING_INVALID',
      message: `c.csv: the file is not valid UTF-8 at byte ${byteOffset} (line ${line}); save it as UTF-8 and upload it again.`,
      details: { fileName: 'c.csv', byteOffset, line },
    });
  });

  it('when a UTF-8 file has a BOM and accents, then it is read', async () => {
    const t = await readCsvTable(bytes([0xef, 0xbb, 0xbf], 'email;name\na@b.com;Café Zürich\n'), 'c.csv');
    expect(t.columns).toEqual(['email', 'name']);
    expect(t.rows).toEqual([['a@b.com', 'Café Zürich']]);
  });

  it.each([
    ['a right-to-left override', 'contacts\u202Evsc.exe', 'U+202E (right-to-left override) at position 9'],
    ['a NUL', 'contacts\u0000.csv', 'U+0000 (NUL) at position 9'],
    ['a line break', 'a\nb.csv', 'U+000A (line feed) at position 2'],
  ])('when the file name holds %s, then it is refused before a byte is read', async (_label, fileName, where) => {
    const input = csv('email\na@b.com\n');
    await expect(readCsvTable(input, fileName)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(where) });
    expect(input.readableDidRead).toBe(false);
  });

  it.each([
    ['a row has the wrong number of fields', 'email,acc\nx@y.com,1\nz@y.com\n', /c\.csv line 3/],
    ['a quote is not closed', 'email,acc\n"x@y.com,1\n', /c\.csv/],
    ['the file is empty', '', /empty; it needs a header/],
    ['the header repeats a column', 'email,email\n', /"email" twice/],
    ['a semicolon row has a field too many', 'email;acc\nx@y.com;1;2\n', /c\.csv line 2: expect 2, got 3/],
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
