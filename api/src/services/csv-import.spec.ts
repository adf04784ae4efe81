import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { readRowsFile } from '../store/dataset-rows-file';
import { importCsv, type CsvImportJob } from './csv-import';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-csv-import-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const job = (name: string, extra: Partial<CsvImportJob> = {}): CsvImportJob => ({
  fileName: 'contacts.csv',
  file: path.join(dir, `${name}.ndjson`),
  rejectedFile: path.join(dir, `${name}.rejected.csv`),
  kind: 'contacts',
  skipInvalid: false,
  ...extra,
});

/** Bytes in 16-byte pieces, as a socket might deliver them (multi-byte characters split too). */
function pieces(bytes: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 16) parts.push(bytes.subarray(i, i + 16));
  return Readable.from(parts, { objectMode: false });
}

/** The same bytes through both paths: parsed where they are, and in a worker thread. */
async function bothWays(bytes: Buffer, extra: Partial<CsvImportJob> = {}): Promise<{ inline: unknown; worker: unknown }> {
  const run = async (inlineBytes: number, name: string) => {
    const j = job(name, extra);
    try {
      const written = await importCsv(pieces(bytes), j, { inlineBytes });
      const rows = await readRowsFile(j.file, written);
      return { written, rows, ...(written.rejectedRows ? { rejected: await readFile(j.rejectedFile, 'utf8') } : {}) };
    } catch (e) {
      const err = e as { code?: string; message: string };
      return { error: { code: err.code, message: err.message } };
    }
  };
  return { inline: await run(1024 * 1024, 'inline'), worker: await run(0, 'worker') };
}

describe('importCsv', () => {
  const cases: { name: string; csv: Buffer; extra?: Partial<CsvImportJob>; expected: Record<string, unknown> }[] = [
    {
      name: 'a comma file',
      csv: Buffer.from('Email,AccountId\r\njane@fabrikam.com,A\r\n"Zoë, ""the"" boss",B\r\n'),
      expected: { rows: [['jane@fabrikam.com', 'A'], ['Zoë, "the" boss', 'B']], written: expect.objectContaining({ columns: ['Email', 'AccountId'], delimiter: 'comma', rows: 2 }) },
    },
    {
      name: 'a semicolon file',
      csv: Buffer.from('\uFEFFEmail;AccountId\njane@fabrikam.com;A\n'),
      expected: { rows: [['jane@fabrikam.com', 'A']], written: expect.objectContaining({ delimiter: 'semicolon', rows: 1 }) },
    },
    {
      name: 'a row with an extra field',
      csv: Buffer.from('Email,AccountId\na@b.com,1\nc@d.com,2,extra\n'),
      expected: {
        error: {
          code: 'CSV_MALFORMED',
          message:
            'contacts.csv, row 3 has 3 values but the header has 2 columns. A value probably contains a comma: put that value in double quotes, or remove the extra value. 1 row of 2 cannot be read; to import the 1 valid row and set the others aside, send the file again with skipInvalid=true.',
        },
      },
    },
    {
      name: 'a row with an extra field, imported with skipInvalid',
      csv: Buffer.from('Email;AccountId\na@b.com;1\nc@d.com;2;extra\n'),
      extra: { skipInvalid: true },
      expected: {
        rows: [['a@b.com', '1']],
        written: expect.objectContaining({ rows: 1, rejectedRows: 1, delimiter: 'semicolon' }),
        rejected:
          '\uFEFFReason;Email;AccountId\r\nRow 3 has 3 values but the header has 2 columns. A value probably contains a semicolon: put that value in double quotes, or remove the extra value.;c@d.com;2;extra\r\n',
      },
    },
    {
      name: 'a contacts file without any email address',
      csv: Buffer.from('Name,AccountId\nJane,1\n'),
      expected: { error: { code: 'CSV_MISSING_COLUMN', message: expect.stringContaining('contacts.csv has no column of email addresses') } },
    },
    {
      name: 'an accounts file (no email addresses needed)',
      csv: Buffer.from('AccountId,Name\n1,Alpha\n'),
      extra: { kind: 'accounts' },
      expected: { rows: [['1', 'Alpha']], written: expect.objectContaining({ rows: 1, rejectedRows: 0 }) },
    },
    {
      name: 'a file whose every row is bad, even with skipInvalid',
      csv: Buffer.from('Email,AccountId\na@b.com\nc@d.com\n'),
      extra: { skipInvalid: true },
      expected: { error: { code: 'CSV_MALFORMED', message: expect.stringContaining('none of its 2 rows can be read') } },
    },
    {
      name: 'Latin-1 bytes',
      csv: Buffer.concat([Buffer.from('Email,AccountName\na@b.com,Z'), Buffer.from([0xeb]), Buffer.from('\n')]),
      expected: { error: { code: 'ENCODING_INVALID', message: expect.stringContaining('at byte 27 (line 2)') } },
    },
    { name: 'a header only', csv: Buffer.from('Email,AccountId\n'), expected: { error: { code: 'CSV_MALFORMED', message: expect.stringContaining('no rows') } } },
    { name: 'nothing at all', csv: Buffer.alloc(0), expected: { error: { code: 'CSV_MALFORMED', message: expect.stringContaining('empty') } } },
  ];

  it.each(cases)('when the upload is $name, then the worker answers exactly what parsing in place answers', async ({ csv, extra, expected }) => {
    const { inline, worker } = await bothWays(csv, extra);
    expect(inline).toEqual(expected);
    expect(worker).toEqual(inline);
    // A failed import leaves no file behind.
    if ('error' in (expected as object)) expect(await readdir(dir)).toEqual([]);
  });

  it('when the upload is larger than the inline limit, then its rows all arrive, in order', async () => {
    const lines = ['Email,AccountId', ...Array.from({ length: 50_000 }, (_, i) => `p${i}@fabrikam.com,A${i % 97}`)];
    const file = path.join(dir, 'big.ndjson');
    const written = await importCsv(Readable.from([Buffer.from(lines.join('\n'))]), { ...job('big'), fileName: 'big.csv' });
    expect(written).toMatchObject({ rows: 50_000, preview: [['p0@fabrikam.com', 'A0'], ['p1@fabrikam.com', 'A1'], ['p2@fabrikam.com', 'A2'], ['p3@fabrikam.com', 'A3'], ['p4@fabrikam.com', 'A4']] });
    const rows = await readRowsFile(file, written);
    expect(rows[49_999]).toEqual(['p49999@fabrikam.com', `A${49_999 % 97}`]);
  });

  it('when the stream fails part way (a client that hangs up), then the worker stops and the error is the stream’s', async () => {
    const input = new PassThrough();
    const imported = importCsv(input, job('broken'), { inlineBytes: 0 });
    input.write('Email,AccountId\n');
    for (let i = 0; i < 100; i += 1) input.write(`p${i}@fabrikam.com,A\n`);
    setTimeout(() => input.destroy(new Error('aborted')), 20);
    await expect(imported).rejects.toThrow('aborted');
  });
});
