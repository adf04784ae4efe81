import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConsentPanel } from '../components/consent-panel';
import { MAX_LINK_LENGTH, mailtoLink, teamsChatLink } from '../components/admin-request';
import { renderWithProviders } from '../../../testing/render';
import { installFakeApi, json, type FakeRequest } from '../../../testing/fake-api';
import type { ConsentStatus } from '../../../lib/api-types';
import { enUS } from '../../../i18n/en-US';
import { idID } from '../../../i18n/id-ID';

const PERMISSIONS = ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'];
const PENDING: ConsentStatus = {
  status: 'pending',
  grantedPermissions: [],
  missingPermissions: PERMISSIONS,
  requiredPermissions: PERMISSIONS,
  grantedThrough: {},
  exchangeRbac: null,
  grantedAt: null,
  error: null,
  checkedAt: null,
  adminRequest: null,
};
const IDA = { name: 'Ida Admin', email: 'ida@contoso.com' };
// As long as a production consent URL gets: tenant and client GUIDs, an https redirect URI, a 43-character state.
const CONSENT_URL =
  'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/adminconsent?client_id=0b5ef1e2-5d6c-4a0c-9a5b-3d1c7e2f4a10&redirect_uri=https%3A%2F%2Frapport.contoso-apps.azurewebsites.net%2Fapi%2Fconsent%2Fcallback&state=Jc2k1m9w6bq0x7Qp4Zr8Vt3Ly5Hn2Fs1Dg6Ka0Eo9Ui';

function askServer() {
  let asked: ConsentStatus['adminRequest'] = null;
  return {
    'GET /api/consent': () => json({ ...PENDING, adminRequest: asked }),
    'POST /api/consent/requests': (req: FakeRequest) => {
      const channel = (req.body as { channel: 'teams' | 'email' | 'link' }).channel;
      asked = { id: 'r1', askedAt: '2026-12-01T09:30:00.000Z', askedBy: { id: 'u1', name: 'Ann Lee' }, recipient: IDA, channel };
      return json({ request: asked, consentUrl: CONSENT_URL, expiresAt: '2026-12-08T09:30:00.000Z', permissions: PERMISSIONS }, 201);
    },
  };
}

describe('Consent panel, asking the tenant administrator', () => {
  const open = jest.fn();
  beforeEach(() => {
    open.mockReset();
    window.open = open;
  });

  it('when the admin asks in Teams, then a chat with the administrator opens with the message ready, and the panel says who was asked, when and by whom', async () => {
    const api = installFakeApi(askServer());
    renderWithProviders(<ConsentPanel tenantAdmin={IDA} />);
    expect(await screen.findByRole('heading', { name: 'Ask Ida Admin to grant consent' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Ask Ida Admin in Teams' }));

    await waitFor(() => expect(open).toHaveBeenCalled());
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ channel: 'teams' });
    const link = new URL(open.mock.calls[0][0] as string);
    expect(`${link.origin}${link.pathname}`).toBe('https://teams.microsoft.com/l/chat/0/0');
    expect(link.searchParams.get('users')).toBe('ida@contoso.com');
    const message = link.searchParams.get('message') ?? '';
    expect(message).toContain('Hi Ida Admin');
    expect(message).toContain('never subjects or bodies');
    expect(message).toContain(PERMISSIONS.join(', '));
    expect(message).toContain(CONSENT_URL);
    expect(message).toContain('Ann Lee');
    expect(screen.getByText('A Teams chat with Ida Admin opened with the message ready. Send it there.')).toBeInTheDocument();
    expect(await screen.findByText(/^Asked Ida Admin on .+ by Ann Lee\. In Teams\.$/)).toBeInTheDocument();
  });

  it('when the admin copies the link, then the consent link is on the clipboard and a visible status says Copied', async () => {
    installFakeApi(askServer());
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWithProviders(<ConsentPanel tenantAdmin={IDA} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Copy consent link' }));
    expect(await screen.findByText('Copied. Paste the consent link into a message to the administrator.')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(CONSENT_URL);
    expect(screen.getByLabelText('Consent link')).toHaveValue(CONSENT_URL);
  });

  it('when the clipboard refuses, then the status says so and the link is shown to copy by hand', async () => {
    installFakeApi(askServer());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: jest.fn().mockRejectedValue(new Error('denied')) }, configurable: true });
    renderWithProviders(<ConsentPanel tenantAdmin={IDA} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Copy consent link' }));
    expect(await screen.findByText('The link could not be copied automatically; select it below and copy it.')).toBeInTheDocument();
    expect(screen.getByLabelText('Consent link')).toHaveValue(CONSENT_URL);
  });

  it('when consent is granted, then neither the ask actions nor an old "Asked" line show', async () => {
    installFakeApi({
      'GET /api/consent': json({
        ...PENDING,
        status: 'granted',
        grantedPermissions: PERMISSIONS,
        missingPermissions: [],
        grantedAt: '2026-12-02T00:00:00.000Z',
        adminRequest: { id: 'r1', askedAt: '2026-12-01T09:30:00.000Z', askedBy: { id: 'u1', name: 'Ann Lee' }, recipient: IDA, channel: 'teams' },
      }),
    });
    renderWithProviders(<ConsentPanel tenantAdmin={IDA} />);
    expect(await screen.findByText('Granted')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Ask Ida Admin/ })).not.toBeInTheDocument();
    expect(screen.queryByText(/^Asked /)).not.toBeInTheDocument();
  });

  it('when no tenant administrator is named, then the panel says where to name one', async () => {
    installFakeApi({ 'GET /api/consent': json(PENDING) });
    renderWithProviders(<ConsentPanel />);
    expect(await screen.findByRole('link', { name: 'Name the tenant administrator' })).toHaveAttribute('href', '#/settings/configuration/tenantAdmin');
  });
});

describe('the links that ask the tenant administrator', () => {
  it.each([
    ['en-US', enUS],
    ['id-ID', idID],
  ])('when the %s message carries a production-length consent link, then the Teams and mailto links stay under the 2,000-character limit', (_locale, messages) => {
    const message = messages.askAdmin.message({ name: 'Ida Administrator-Longname', link: CONSENT_URL, until: '8 Des 2026', sender: 'Annabelle Lee-Hutchinson', permissions: PERMISSIONS.join(', ') });
    expect(teamsChatLink('ida.administrator@contoso-holdings.onmicrosoft.com', message).length).toBeLessThan(MAX_LINK_LENGTH);
    expect(mailtoLink('ida.administrator@contoso-holdings.onmicrosoft.com', messages.askAdmin.subject, message).length).toBeLessThan(MAX_LINK_LENGTH);
  });

  it('when the message has spaces and symbols, then the mailto link encodes them as %20 and keeps the link whole', () => {
    const href = mailtoLink('ida@contoso.com', 'Admin consent', 'a b&c=d');
    expect(href).toBe('mailto:ida@contoso.com?subject=Admin%20consent&body=a%20b%26c%3Dd');
  });
});
