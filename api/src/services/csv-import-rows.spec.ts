import { Readable } from 'node:stream';
import { readCsvTable } from '../enrichment/customer-csv';
import { CsvRowReader, rejectedRowsCsv, type CsvRows, type RejectedRow } from './csv-import-rows';

/** The text in 7-character pieces: rows, quotes and CRLFs split across pushes. */
function read(text: string): CsvRows {
  const reader = new CsvRowReader('c.csv');
  for (let i = 0; i < text.length; i += 7) reader.push(text.slice(i, i + 7));
  return reader.end();
}

const bad = (r: Partial<RejectedRow> & Pick<RejectedRow, 'row' | 'problem'>) => expect.objectContaining(r);

describe('CsvRowReader on well-formed files reads what readCsvTable reads', () => {
  it.each([
    ['commas and CRLF', 'Email,AccountId\r\njane@fabrikam.com,A\r\nbob@fabrikam.com,B\r\n'],
    ['quoted values with separators, doubled quotes and line breaks', 'Email,Name\n"a@b.com","Zoë, ""the"" boss"\nc@d.com,"two\nlines"\n'],
    ['whitespace around values and quotes', 'Email , Name\n  a@b.com ,  "  kept  "  \n'],
    ['a BOM, semicolons and decimal commas', '\uFEFFEmail;Score\na@b.com;1,5\nc@d.com;12\n'],
    ['tabs', 'Email\tName\na@b.com\tAcme Ltd\n'],
    ['blank lines and no final line break', 'Email,Name\n\na@b.com,A\n   \nc@d.com,B'],
    ['empty values and a trailing separator', 'Email,Name,Id\na@b.com,,\n'],
  ])('%s', async (_name, text) => {
    const expected = await readCsvTable(Readable.from([Buffer.from(text)]), 'c.csv');
    const got = read(text);
    expect({ columns: got.columns, rows: got.rows, delimiter: got.delimiter, rejected: got.rejected }).toEqual({
      columns: expected.columns,
      rows: expected.rows,
      delimiter: expected.delimiter,
      rejected: [],
    });
  });
});

describe('CsvRowReader sets bad rows aside, numbered as Excel numbers them', () => {
  it.each<[string, string, string[][], unknown[]]>([
    ['an extra value', 'Email,Id\na@b.com,1\nc@d.com,2,x\ne@f.com,3\n', [['a@b.com', '1'], ['e@f.com', '3']], [bad({ row: 3, line: 3, problem: 'tooManyValues', found: 3, values: ['c@d.com', '2', 'x'] })]],
    ['a missing value', 'Email,Id,Name\na@b.com,1\n', [], [bad({ row: 2, problem: 'tooFewValues', found: 2 })]],
    ['a quote inside an unquoted value', 'Email,Name\na@b.com,Acme "East" Ltd\nc@d.com,B\n', [['c@d.com', 'B']], [bad({ row: 2, problem: 'strayQuote', column: 1, values: ['a@b.com', 'Acme "East" Ltd'] })]],
    ['text after a closing quote', 'Email,Name\na@b.com,"Acme" Ltd\n', [], [bad({ row: 2, problem: 'textAfterQuote', column: 1, values: ['a@b.com', 'Acme Ltd'] })]],
    [
      'a quote never closed before the end',
      'Email,Name\na@b.com,A\nc@d.com,"Acme\ne@f.com,E\ng@h.com,G\n',
      [['a@b.com', 'A'], ['e@f.com', 'E'], ['g@h.com', 'G']],
      [bad({ row: 3, line: 3, problem: 'unclosedQuote', column: 1, values: ['c@d.com', '"Acme'] })],
    ],
    [
      'a quote closed on a later line in the wrong place',
      'Email,Name\nc@d.com,"Acme\ne@f.com,"E"\n',
      [['e@f.com', 'E']],
      [bad({ row: 2, line: 2, problem: 'unclosedQuote', column: 1 })],
    ],
    [
      'a blank line and a two-line value before the bad row',
      'Email,Name\n\na@b.com,"two\nlines"\nc@d.com\n',
      [['a@b.com', 'two\nlines']],
      [bad({ row: 4, line: 5, problem: 'tooFewValues' })],
    ],
  ])('%s', (_name, text, rows, rejected) => {
    const got = read(text);
    expect(got.rows).toEqual(rows);
    expect(got.rejected).toEqual(rejected);
  });
});

describe('CsvRowReader refuses files that cannot be a table', () => {
  it.each([
    ['nothing', '', 'empty', /c\.csv is empty: the first row must be the header/],
    ['only blank lines', '\n \n', 'empty', /is empty/],
    ['a header only', 'Email,Id\n', 'headerOnly', /has a header but no rows/],
    ['a column named twice', 'Email,Email\na,b\n', 'duplicateColumn', /names the column "Email" twice; rename or remove one/],
    ['a column without a name', 'Email,,Id\na,b,c\n', 'emptyColumnName', /column 2 of the header \(row 1\) has no name/],
    ['a quote in the header', 'Email,Na"me\na,b\n', 'headerQuote', /misplaced double quote in column 2/],
  ])('%s', (_name, text, problem, message) => {
    expect(() => read(text)).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED', message: expect.stringMatching(message), details: expect.objectContaining({ problem, row: 1 }) }));
  });

  it('when there are more rows than allowed, then tooManyRows', () => {
    const reader = new CsvRowReader('c.csv', 2);
    reader.push('Email\na@b.com\nc@d.com\ne@f.com\n');
    expect(() => reader.end()).toThrow(expect.objectContaining({ details: expect.objectContaining({ problem: 'tooManyRows' }) }));
  });

  it('when the file has only carriage returns (an old Mac export), then its lines are still rows', () => {
    expect(read('Email,Id\ra@b.com,1\rc@d.com,2\r').rows).toEqual([
      ['a@b.com', '1'],
      ['c@d.com', '2'],
    ]);
  });
});

describe('rejectedRowsCsv', () => {
  it('puts the reason first, keeps the values as read, and quotes what needs quoting', () => {
    const csv = rejectedRowsCsv(['Email', 'Reason'], 'comma', [
      { row: 7, line: 8, problem: 'strayQuote', column: 1, values: ['a@b.com', 'Acme "East", Ltd'] },
    ]);
    expect(csv).toBe(
      '\uFEFFRejection reason,Email,Reason\r\n"Row 7, column ""Reason"": a double quote ("") is inside a value. Put the whole value in double quotes and write the quote inside it twice, for example ""Acme """"East"""" Ltd"".",a@b.com,"Acme ""East"", Ltd"\r\n',
    );
    // The file it makes reads back as the same rows.
    const back = read(csv);
    expect(back.columns).toEqual(['Rejection reason', 'Email', 'Reason']);
    expect(back.rows[0]!.slice(1)).toEqual(['a@b.com', 'Acme "East", Ltd']);
  });
});
