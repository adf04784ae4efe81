import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StepDataset } from '../components/step-dataset';
import { initialState, stepComplete, type WizardState } from '../components/wizard-state';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json, type FakeRequest } from '../../../testing/fake-api';
import type { UploadedDataset } from '../api/datasets';

const PREVIOUS: UploadedDataset = {
  datasetId: 'ds_old',
  kind: 'contacts',
  fileName: 'old.csv',
  rows: 8,
  columns: ['Email', 'AccountId'],
  delimiter: 'comma',
  preview: [{ Email: 'old@alpha.example.com', AccountId: 'A1' }],
  rejectedRows: 0,
};

/** The step with the wizard's state around it, and whether Next would be allowed. */
function Step({ contacts }: { contacts: UploadedDataset | null }) {
  const [state, setState] = useState<WizardState>(() => ({ ...initialState(null), contacts }));
  return (
    <>
      <StepDataset state={state} onChange={(patch) => setState((s) => ({ ...s, ...patch }))} />
      <output data-testid="next-allowed">{String(stepComplete('dataset', state))}</output>
    </>
  );
}
const nextAllowed = () => screen.getByTestId('next-allowed').textContent;

const ROWS_REJECTED = {
  error: {
    code: 'CSV_MALFORMED',
    message: 'crm.csv, row 3 has 4 values…',
    details: {
      fileName: 'crm.csv',
      problem: 'rowsRejected',
      rowProblem: 'tooManyValues',
      row: 3,
      line: 3,
      found: 4,
      expected: 3,
      delimiter: 'comma',
      validRows: 2,
      rejectedRows: 2,
      rejected: [
        { row: 3, line: 3, problem: 'tooManyValues', found: 4 },
        { row: 4, line: 4, problem: 'unclosedQuote', column: 'AccountName', columnNumber: 3 },
      ],
    },
  },
};

function uploadHandler(req: FakeRequest) {
  if (req.query.get('skipInvalid') !== 'true') return json(ROWS_REJECTED, 400);
  return json({ ...PREVIOUS, datasetId: 'ds_new', fileName: 'crm.csv', rows: 2, rejectedRows: 2, columns: ['Email', 'AccountId', 'AccountName'], preview: [] }, 201);
}

const crm = () => new File(['Email,AccountId,AccountName\n…'], 'crm.csv', { type: 'text/csv' });

/** Downloads go through a signed link (lib/use-export.ts), as every export does: the links the anchor opened. */
let opened: string[];
/** POST /api/downloads as the server answers it: the asked path with a signature. */
const signedLink = (req: FakeRequest) => {
  const path = (req.body as { path: string }).path;
  return json({ url: `${path}${path.includes('?') ? '&' : '?'}dl_sig=abc`, expiresAt: '2026-12-01T00:05:00.000Z' });
};
beforeEach(() => {
  opened = [];
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    opened.push(this.getAttribute('href') ?? '');
  });
});
afterEach(() => jest.restoreAllMocks());

describe('Step 4, a file with unreadable rows', () => {
  it('when it is refused, then the row and the fix are said in words with focus on them, the previous file stays visibly selected, and Next is blocked', async () => {
    const api = installFakeApi({ 'POST /api/datasets': uploadHandler });
    renderWithProviders(<Step contacts={PREVIOUS} />);
    expect(nextAllowed()).toBe('true');

    await userEvent.upload(screen.getByLabelText(/Contacts file/), crm());

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('crm.csv was not imported');
    expect(alert).toHaveTextContent(
      'Row 3 has 4 values but the header has 3 columns. A value probably contains a comma: put that value in double quotes, or remove the extra value. 2 rows of 4 cannot be read.',
    );
    expect(alert).not.toHaveTextContent('Invalid Record Length');
    const refused = screen.getByRole('region', { name: 'crm.csv was not imported' });
    expect(refused).toHaveFocus();
    expect(within(refused).getByRole('listitem')).toHaveTextContent('Row 4, column “AccountName”: a double quote opens a value but is never closed.');
    expect(refused).toHaveTextContent('Still selected: old.csv (8 rows). Next stays blocked until you keep it, upload another file or import the valid rows.');
    expect(screen.getByRole('table', { name: 'First rows of old.csv' })).toBeInTheDocument();
    expect(nextAllowed()).toBe('false');
    expect(Object.fromEntries(api.calls[0]!.query)).toEqual({ kind: 'contacts', fileName: 'crm.csv' });

    await userEvent.click(screen.getByRole('button', { name: 'Keep previous old.csv' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getAllByRole('status')[0]).toHaveTextContent('old.csv: 8 rows · Comma-separated Keeping old.csv.');
    expect(nextAllowed()).toBe('true');
  });

  it('when the admin imports the valid rows, then only those are kept, the summary counts both, and the rejected rows download as CSV', async () => {
    const api = installFakeApi({
      'POST /api/datasets': uploadHandler,
      'POST /api/downloads': signedLink,
    });
    renderWithProviders(<Step contacts={PREVIOUS} />);
    await userEvent.upload(screen.getByLabelText(/Contacts file/), crm());
    await userEvent.click(await screen.findByRole('button', { name: 'Import the 2 valid rows' }));

    expect(await screen.findByText(/crm\.csv: 2 rows/)).toHaveTextContent('crm.csv: 2 rows · Comma-separated · 2 rows imported; 2 rows set aside.');
    expect(Object.fromEntries(api.calls[1]!.query)).toEqual({ kind: 'contacts', fileName: 'crm.csv', skipInvalid: 'true' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(nextAllowed()).toBe('true');

    await userEvent.click(screen.getByRole('button', { name: 'Download rejected rows (CSV)' }));
    await waitFor(() => expect(opened).toEqual(['/api/datasets/ds_new/rejected.csv?dl_sig=abc']));
    expect(api.calls.at(-1)?.body).toEqual({ path: '/api/datasets/ds_new/rejected.csv' });
  });

  it('when there was no previous file, then the refusal says Next waits for a readable file and offers no "keep"', async () => {
    installFakeApi({ 'POST /api/datasets': uploadHandler });
    renderWithProviders(<Step contacts={null} />);
    await userEvent.upload(screen.getByLabelText(/Contacts file/), crm());
    expect(await screen.findByText('Next stays blocked until you upload a file that can be read or import its valid rows.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Keep previous/ })).not.toBeInTheDocument();
    expect(nextAllowed()).toBe('false');
  });
});

describe('Step 4, other refusals and the template', () => {
  it('when a Latin-1 file is refused in Indonesian, then the fix is said in Indonesian with the row', async () => {
    installFakeApi({
      'POST /api/datasets': json(
        { error: { code: 'ENCODING_INVALID', message: 'x', details: { fileName: 'kontak.csv', problem: 'encoding', byteOffset: 50, line: 2 } } },
        400,
      ),
    });
    renderWithProviders(<Step contacts={PREVIOUS} />, { locale: 'id-ID' });
    await userEvent.upload(screen.getByLabelText(/File kontak/), new File(['x'], 'kontak.csv', { type: 'text/csv' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('kontak.csv tidak diimpor');
    expect(alert).toHaveTextContent('Berkas ini tidak disimpan sebagai UTF-8 (karakter pertama yang tidak terbaca ada di baris 2).');
    expect(screen.getByRole('button', { name: 'Tetap gunakan old.csv' })).toBeInTheDocument();
  });

  it('when the template is asked for, then the contacts template is downloaded', async () => {
    const api = installFakeApi({ 'POST /api/downloads': signedLink });
    renderWithProviders(<Step contacts={null} />);
    await userEvent.click(screen.getAllByRole('button', { name: 'Download a template' })[0]!);
    await waitFor(() => expect(opened).toEqual(['/api/datasets/template.csv?kind=contacts&dl_sig=abc']));
    expect(api.calls[0]!.body).toEqual({ path: '/api/datasets/template.csv?kind=contacts' });
  });

  it('when the link cannot be made, then the download says so and nothing opens', async () => {
    installFakeApi({ 'POST /api/downloads': apiError(503, 'UNAVAILABLE', 'Rapport is restarting; try again in a minute.') });
    renderWithProviders(<Step contacts={null} />);
    await userEvent.click(screen.getAllByRole('button', { name: 'Download a template' })[1]!);
    expect(await screen.findByText(/Rapport is restarting; try again in a minute\./)).toBeInTheDocument();
    expect(opened).toEqual([]);
  });
});
