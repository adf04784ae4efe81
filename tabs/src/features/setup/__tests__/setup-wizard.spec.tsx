import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SetupWizard } from '../components/setup-wizard';
import { renderWithProviders } from '../../../testing/render';
import { savedConfig, savedDataset } from '../../../testing/fixtures';
import { apiError, installFakeApi, json, type FakeRequest } from '../../../testing/fake-api';
import type { ConfigState, ConsentStatus } from '../../../lib/api-types';

const GROUP_MEMBERS = 14;

/** Resolves "alice@contoso.com" as a user, "ussales@contoso.com" as a group, anything else as unknown. */
function resolveHandler(request: FakeRequest) {
  const entries = (request.body as { entries: string[] }).entries;
  const resolved = entries.map((entry) => {
    if (entry === 'alice@contoso.com') return { entry, kind: 'user', displayName: 'Alice' };
    if (entry === 'ussales@contoso.com') return { entry, kind: 'group', displayName: 'US Sales team', memberCount: GROUP_MEMBERS };
    return { entry, kind: 'unknown', reason: 'Not in the directory' };
  });
  const mailboxCount = resolved.reduce((n, e) => n + (e.kind === 'user' ? 1 : e.kind === 'group' ? GROUP_MEMBERS : 0), 0);
  const unknown = resolved.filter((e) => e.kind === 'unknown');
  return json({
    entries: resolved,
    mailboxCount,
    valid: unknown.length === 0 && mailboxCount >= 2 && mailboxCount <= 2500,
    problems: unknown.map((e) => ({ entry: e.entry, message: 'Not in the directory' })),
  });
}

const nextButton = () => screen.getByRole('button', { name: 'Next' });

/**
 * Enters the addresses in one change, as a paste does. The cases that test live look-up while
 * typing type them; the others only need the step done, and typing key by key on a loaded
 * machine can pause past the debounce several times.
 */
async function pasteOrg(text: string) {
  await userEvent.click(screen.getByLabelText('Addresses and groups'));
  await userEvent.paste(text);
}

describe('Setup wizard', () => {
  it('when one address resolves to a single mailbox, then the count shows 1 and Next is blocked by the 2–2,500 rule', async () => {
    const api = installFakeApi({ 'POST /api/config/org/resolve': resolveHandler });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 2 of 6: Organisation addresses' })).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Addresses and groups'), 'alice@contoso.com');

    expect(await screen.findByText('1 mailbox selected')).toBeInTheDocument();
    expect(screen.getByText('Select at least 2 mailboxes.')).toBeInTheDocument();
    expect(nextButton()).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 2 of 6: Organisation addresses' })).toBeInTheDocument();
    expect(api.calls.at(-1)?.body).toEqual({ entries: ['alice@contoso.com'] });
  });

  it('when a group is added, then each entry shows its resolution, the total counts group members, and Next is allowed', async () => {
    installFakeApi({ 'POST /api/config/org/resolve': resolveHandler });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());

    await userEvent.type(screen.getByLabelText('Addresses and groups'), 'alice@contoso.com{Enter}ussales@contoso.com');

    expect(await screen.findByText('15 mailboxes selected')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Resolution of each entry' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Useralice@contoso.comAlice', 'Groupussales@contoso.comUS Sales team14 members']);
    expect(nextButton()).not.toHaveAttribute('aria-disabled');
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 3 of 6: Consent' })).toBeInTheDocument();
  });

  it('when the directory cannot be read before consent (412), then the wizard explains it and lets the admin go on', async () => {
    installFakeApi({ 'POST /api/config/org/resolve': apiError(412, 'CONSENT_REQUIRED', 'The tenant administrator has not granted consent yet.') });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());

    await userEvent.type(screen.getByLabelText('Addresses and groups'), 'ussales@contoso.com');

    expect(await screen.findByText(/The directory can be read only after the tenant administrator grants consent/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 3 of 6: Consent' })).toBeInTheDocument();
  });

  it('when Next moves to a step, then focus is on its heading at once, and a field clicked right after keeps it', async () => {
    installFakeApi({ 'POST /api/config/org/resolve': resolveHandler });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());
    // No frame later: the heading has focus as soon as the step is shown.
    expect(screen.getByRole('heading', { name: 'Step 2 of 6: Organisation addresses' })).toHaveFocus();
    const field = screen.getByLabelText('Addresses and groups');
    await userEvent.click(field);
    await new Promise((r) => setTimeout(r, 50));
    expect(field).toHaveFocus();
  });

  it('when the consent box is not ticked, then the wizard cannot go past the consent step', async () => {
    installFakeApi({ 'POST /api/config/org/resolve': resolveHandler });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());
    await pasteOrg('ussales@contoso.com');
    await screen.findByText('14 mailboxes selected');
    await userEvent.click(nextButton());

    expect(screen.getByRole('heading', { name: 'Step 3 of 6: Consent' })).toBeInTheDocument();
    expect(nextButton()).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByText('Tick “I agree” to continue.')).toBeInTheDocument();
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 3 of 6: Consent' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: 'I agree' }));
    await userEvent.click(nextButton());
    expect(screen.getByRole('heading', { name: 'Step 4 of 6: Customer data' })).toBeInTheDocument();
  });

  it('when the whole wizard is completed, then the CSV is uploaded, the mapping checked and the configuration saved', async () => {
    const api = installFakeApi({
      'POST /api/config/org/resolve': resolveHandler,
      'POST /api/datasets': (req) =>
        json({
          datasetId: 'ds-1',
          kind: req.query.get('kind'),
          fileName: req.query.get('fileName'),
          rows: 3,
          columns: ['Email', 'AccountId', 'Company'],
          preview: [{ Email: 'jo@fabrikam.com', AccountId: 'A-1', Company: 'Fabrikam' }],
        }),
      'POST /api/datasets/:id/mapping': {
        report: { rows: 3, contacts: 2, accounts: 1, rowsWithoutEmail: 1, invalidEmails: 0, multiAccountContacts: 0, ambiguousDomains: ['shared.com'], freemailOnlyAccounts: 0 },
        accountsPreview: [{ accountId: 'A-1', name: 'Fabrikam', contacts: 2, domains: ['fabrikam.com'] }],
      },
      'PUT /api/config': (req) => json({ version: 1, config: req.body }),
    });
    const onSaved = jest.fn();
    renderWithProviders(<SetupWizard config={null} onSaved={onSaved} />);
    await userEvent.click(nextButton());
    await pasteOrg('ussales@contoso.com');
    await screen.findByText('14 mailboxes selected');
    await userEvent.click(nextButton());
    await userEvent.click(screen.getByRole('checkbox', { name: 'I agree' }));
    await userEvent.click(nextButton());

    const file = new File(['Email,AccountId,Company\njo@fabrikam.com,A-1,Fabrikam\n'], 'contacts.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByLabelText(/Contacts file/), file);
    expect(await screen.findByText('contacts.csv: 3 rows')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'First rows of contacts.csv' })).toHaveTextContent('jo@fabrikam.com');
    const upload = api.calls.find((c) => c.path === '/api/datasets');
    expect(upload?.headers['Content-Type']).toBe('text/csv');
    expect(Object.fromEntries(upload?.query ?? [])).toEqual({ kind: 'contacts', fileName: 'contacts.csv' });
    await userEvent.click(nextButton());

    expect(screen.getByLabelText(/Contact email column/)).toHaveValue('Email');
    expect(screen.getByLabelText(/Account ID column/)).toHaveValue('AccountId');
    await userEvent.click(screen.getByRole('button', { name: 'Check mapping' }));
    const report = await screen.findByRole('region', { name: 'Validation report' });
    expect(within(report).getByText('Rows without email').nextSibling).toHaveTextContent('1');
    expect(within(report).getByText('Ambiguous domains').nextSibling).toHaveTextContent('shared.com');
    expect(within(report).getByRole('table', { name: 'Matched accounts (preview)' })).toHaveTextContent('fabrikam.com');
    await userEvent.click(nextButton());

    await userEvent.type(screen.getByLabelText(/Enrichment name/), 'Sales engagement');
    await userEvent.click(screen.getByRole('button', { name: 'Save enrichment' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.calls.find((c) => c.path === '/api/datasets/ds-1/mapping')?.body).toEqual({ email: 'Email', accountId: 'AccountId', accountName: 'Company' });
    expect(api.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      name: 'Sales engagement',
      orgEntries: ['ussales@contoso.com'],
      consentAccepted: true,
      contacts: { datasetId: 'ds-1', mapping: { email: 'Email', accountId: 'AccountId', accountName: 'Company' } },
      expectedVersion: 0,
    });
    expect(screen.getByText('Saved as version 1.')).toBeInTheDocument();
  });
});

describe('Setup wizard, editing a saved configuration', () => {
  it('when a configuration is saved, then its contacts file and mapping are loaded and nothing has to be uploaded again', async () => {
    const api = installFakeApi({
      'POST /api/config/org/resolve': resolveHandler,
      'GET /api/datasets/ds_1': json({
        datasetId: 'ds_1',
        kind: 'contacts',
        fileName: 'crm-contacts.csv',
        rows: 1200,
        columns: ['mail', 'account', 'company'],
        preview: [{ mail: 'a@fabrikam.com', account: 'A1', company: 'Fabrikam' }],
      }),
    });
    const config: ConfigState = {
      version: 3,
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedBy: 'x',
      config: {
        name: 'Sales engagement',
        orgEntries: ['ussales@contoso.com'],
        consentAccepted: true,
        consentStatement: { acceptedBy: 'x', acceptedByName: 'x', acceptedAt: '2026-11-01T00:00:00.000Z' },
        contacts: { datasetId: 'ds_1', mapping: { email: 'mail', accountId: 'account', accountName: 'company' } },
        rules: { extraInternalDomains: [], exclusions: [], staleDays: 60, upcomingMeetingSuppressesStale: true, weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 }, minimumColleagues: 1 },
        mailboxCount: 14,
      },
    };
    renderWithProviders(<SetupWizard config={config} onSaved={() => undefined} />);
    await userEvent.click(nextButton());
    expect(await screen.findByText('14 mailboxes selected')).not.toBeNull();
    await userEvent.click(nextButton());
    await userEvent.click(nextButton());

    expect(screen.getByRole('heading', { name: 'Step 4 of 6: Customer data' })).toBeInTheDocument();
    expect(await screen.findByText('crm-contacts.csv: 1,200 rows')).toBeInTheDocument();
    expect(nextButton()).not.toHaveAttribute('aria-disabled');
    await userEvent.click(nextButton());
    expect(screen.getByRole('combobox', { name: 'Contact email column' })).toHaveValue('mail');
    expect(screen.getByRole('combobox', { name: 'Account ID column' })).toHaveValue('account');
    expect(api.calls.some((c) => c.method === 'POST' && c.path === '/api/datasets')).toBe(false);
  });
});

describe('Setup wizard, a file separated by semicolons', () => {
  async function uploadSemicolonFile(locale: 'en-US' | 'id-ID') {
    installFakeApi({
      'POST /api/config/org/resolve': resolveHandler,
      'POST /api/datasets': (req) =>
        json({
          datasetId: 'ds-2',
          kind: req.query.get('kind'),
          fileName: req.query.get('fileName'),
          rows: 2,
          columns: ['Email', 'AccountId'],
          delimiter: 'semicolon',
          preview: [{ Email: 'jo@fabrikam.com', AccountId: 'A-1' }],
        }),
    });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />, { locale });
    const next = () => screen.getAllByRole('button').find((b) => b.textContent === (locale === 'en-US' ? 'Next' : 'Berikutnya'))!;
    await userEvent.click(next());
    await userEvent.type(screen.getByRole('textbox'), 'ussales@contoso.com');
    await waitFor(() => expect(next()).not.toHaveAttribute('aria-disabled'));
    await userEvent.click(next());
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(next());
    const file = new File(['Email;AccountId\njo@fabrikam.com;A-1\n'], 'kontak.csv', { type: 'text/csv' });
    await userEvent.upload(screen.getByLabelText(locale === 'en-US' ? /Contacts file/ : /File kontak/), file);
    return next;
  }

  it('when the server detected semicolons, then the upload says so and the mapping step says how the columns were read', async () => {
    const next = await uploadSemicolonFile('en-US');
    expect(await screen.findByText('kontak.csv: 2 rows · Semicolon-separated')).toBeInTheDocument();
    await userEvent.click(next());
    expect(screen.getByText(/^Columns of kontak\.csv, read as semicolon-separated\./)).toBeInTheDocument();
  });

  it('when the tab is in Indonesian, then the delimiter is named in Indonesian', async () => {
    const next = await uploadSemicolonFile('id-ID');
    expect(await screen.findByText('kontak.csv: 2 baris · Dipisahkan titik koma')).toBeInTheDocument();
    await userEvent.click(next());
    expect(screen.getByText(/^Kolom dari kontak\.csv, dibaca sebagai dipisahkan titik koma\./)).toBeInTheDocument();
  });
});

const SAVED = savedConfig();
const DATASET = savedDataset();
const GRANTED: ConsentStatus = {
  status: 'granted',
  grantedPermissions: ['Calendars.ReadBasic.All', 'GroupMember.Read.All', 'Mail.ReadBasic.All', 'User.Read.All'],
  missingPermissions: [],
  requiredPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'],
  grantedThrough: {},
  exchangeRbac: null,
  grantedAt: '2026-11-01T00:00:00.000Z',
  error: null,
  checkedAt: '2026-11-01T00:00:00.000Z',
  adminRequest: null,
};
const PENDING: ConsentStatus = { ...GRANTED, status: 'pending', grantedPermissions: [], missingPermissions: [...GRANTED.requiredPermissions], grantedAt: null };

/** PUT /api/config as the server answers it: the next version, refused with 409 when expectedVersion is stale. */
function versionedServer(start: number) {
  let version = start;
  return (req: FakeRequest) => {
    const body = req.body as { expectedVersion?: number; name: string };
    if (body.expectedVersion !== undefined && body.expectedVersion !== version) {
      return apiError(409, 'CONFIG_VERSION_CONFLICT', `The configuration is at version ${version}, not ${body.expectedVersion}; reload it and save again.`);
    }
    version += 1;
    return json({ version, config: { ...SAVED.config, ...body }, updatedAt: '2026-12-01T00:00:00.000Z', updatedBy: 'Ann' });
  };
}

describe('Setup wizard, saving', () => {
  it('when the admin saves twice in a row, then each save builds on the version the previous one answered and both succeed', async () => {
    const api = installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'PUT /api/config': versionedServer(3) });
    renderWithProviders(<SetupWizard config={SAVED} consent={GRANTED} part="name" onSaved={() => undefined} />);
    const name = screen.getByLabelText(/Enrichment name/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Renamed');
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect(await screen.findByText('Saved as version 4. Consent is granted, so the next run uses this version.')).toBeInTheDocument();

    await userEvent.type(name, ' again');
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));

    expect(await screen.findByText('Saved as version 5. Consent is granted, so the next run uses this version.')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'PUT').map((c) => (c.body as { expectedVersion: number }).expectedVersion)).toEqual([3, 4]);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/changed|meanwhile/)).not.toBeInTheDocument();
  });

  it('when consent is granted, then the message after a save never says the administrator still has to grant it', async () => {
    installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'PUT /api/config': versionedServer(3) });
    renderWithProviders(<SetupWizard config={SAVED} consent={GRANTED} part="name" onSaved={() => undefined} afterSave={() => <p>ask the admin</p>} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Consent is granted');
    expect(screen.queryByText(/needs to grant|Nothing runs until/)).not.toBeInTheDocument();
    expect(screen.queryByText('ask the admin')).not.toBeInTheDocument();
  });

  it('when consent is not granted yet, then the message says nothing runs until it is, and the page’s ask actions show', async () => {
    installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'PUT /api/config': versionedServer(3) });
    renderWithProviders(<SetupWizard config={SAVED} consent={PENDING} part="name" onSaved={() => undefined} afterSave={(saved) => <p>ask the admin of v{saved.version}</p>} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect(await screen.findByText(/^Saved as version 4\. Nothing runs until the tenant administrator grants consent/)).toBeInTheDocument();
    expect(screen.getByText('ask the admin of v4')).toBeInTheDocument();
  });

  it('when someone else saved meanwhile (409), then a warning offers to load the newest version and no success message shows', async () => {
    installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'PUT /api/config': versionedServer(4) });
    const onReload = jest.fn();
    renderWithProviders(<SetupWizard config={SAVED} consent={GRANTED} part="name" onSaved={() => undefined} onReload={onReload} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone else saved a newer version meanwhile');
    expect(screen.queryByText(/^Saved as version/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load the newest version' }));
    expect(onReload).toHaveBeenCalled();
  });
});

describe('Setup wizard, editing one part', () => {
  it('when only the tenant administrator is edited, then only that step shows and the save keeps every other part', async () => {
    const api = installFakeApi({ 'GET /api/datasets/ds_1': json(DATASET), 'PUT /api/config': versionedServer(3) });
    renderWithProviders(<SetupWizard config={SAVED} consent={PENDING} part="tenantAdmin" onSaved={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'Editing: Tenant administrator' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Next' })).not.toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Tenant administrator’s name'), 'Ida Admin');
    await userEvent.type(screen.getByLabelText(/Tenant administrator’s email/), 'ida at contoso');
    await userEvent.tab();
    expect(screen.getByText('Enter an email address such as it-admin@contoso.com.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);

    await userEvent.clear(screen.getByLabelText(/Tenant administrator’s email/));
    await userEvent.type(screen.getByLabelText(/Tenant administrator’s email/), 'ida@contoso.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save as a new version' }));

    await screen.findByText(/^Saved as version 4/);
    expect(api.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      name: 'Sales engagement',
      orgEntries: ['ussales@contoso.com'],
      consentAccepted: true,
      contacts: { datasetId: 'ds_1', mapping: { email: 'mail', accountId: 'account' } },
      tenantAdmin: { name: 'Ida Admin', email: 'ida@contoso.com' },
      expectedVersion: 3,
    });
  });

  it('when the whole walk reaches the consent step, then a half-named administrator blocks Next with what to fix', async () => {
    installFakeApi({ 'POST /api/config/org/resolve': resolveHandler });
    renderWithProviders(<SetupWizard config={null} onSaved={() => undefined} />);
    await userEvent.click(nextButton());
    await pasteOrg('ussales@contoso.com');
    await screen.findByText(/14 mailbox/);
    await userEvent.click(nextButton());
    await userEvent.click(screen.getByRole('checkbox', { name: 'I agree' }));
    await userEvent.type(screen.getByLabelText('Tenant administrator’s name'), 'Ida Admin');

    expect(nextButton()).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByText('Enter the administrator’s email too, or clear both fields.')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Tenant administrator’s name'));
    expect(nextButton()).not.toHaveAttribute('aria-disabled');
  });
});
