import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SetupWizard } from '../components/setup-wizard';
import { renderWithProviders } from '../../../testing/render';
import { savedConfig, savedDataset } from '../../../testing/fixtures';
import { installFakeApi, json } from '../../../testing/fake-api';
import type { Locale } from '../../../i18n/locale';

const SAVED = savedConfig();
const DATASET = savedDataset();
const REFUSED = {
  error: {
    code: 'CSV_MALFORMED',
    message: 'new.csv, row 3 has 4 values…',
    details: { fileName: 'new.csv', problem: 'rowsRejected', rowProblem: 'tooManyValues', row: 3, line: 3, found: 4, expected: 2, delimiter: 'comma', validRows: 1, rejectedRows: 1, rejected: [{ row: 3, line: 3, problem: 'tooManyValues', found: 4 }] },
  },
};

describe('Setup wizard, the hint under Next after a refused upload', () => {
  it.each([
    ['en-US', /Contacts file/, 'Keep the previous file, upload again or import the valid rows.', 'Upload the contacts file to continue.'],
    ['id-ID', /File kontak/, 'Pertahankan file sebelumnya, unggah lagi, atau impor baris yang valid.', 'Unggah file kontak untuk melanjutkan.'],
  ] as const)('in %s, when the new contacts file is refused and the saved one stays selected, then the hint names the three ways on, not "upload the file"', async (locale: Locale, label, hint, uploadHint) => {
    installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'POST /api/datasets': json(REFUSED, 400) });
    renderWithProviders(<SetupWizard config={SAVED} part="datasets" onSaved={() => undefined} />, { locale });
    expect(await screen.findByText(/crm\.csv: 3/)).toBeInTheDocument();

    await userEvent.upload(screen.getByLabelText(label), new File(['mail,account\n…'], 'new.csv', { type: 'text/csv' }));

    expect(await screen.findByText(hint)).toBeInTheDocument();
    expect(screen.queryByText(uploadHint)).not.toBeInTheDocument();
  });
});
