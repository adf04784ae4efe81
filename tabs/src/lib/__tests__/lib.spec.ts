import { ApiError, apiRequest, userMessage } from '../api-client';
import { parseHash, paths } from '../router';
import { buildCardDeepLink } from '../teams';
import { pickLocale } from '../../i18n/locale';
import { enUS } from '../../i18n/en-US';
import { idID } from '../../i18n/id-ID';
import { apiError, installFakeApi } from '../../testing/fake-api';

describe('api client', () => {
  it('when the API answers with an error body, then an ApiError carries its code, status and message', async () => {
    installFakeApi({ 'POST /api/runs': apiError(409, 'RUN_IN_PROGRESS', 'Run run-7 is still collecting.') });

    const failure = apiRequest('/api/runs', { method: 'POST', body: {} });

    await expect(failure).rejects.toMatchObject({ status: 409, code: 'RUN_IN_PROGRESS', message: 'Run run-7 is still collecting.' });
  });

  it('when an error code is known, then the user sees a localised title and the API message as detail', () => {
    const error = new ApiError(412, 'CONSENT_REQUIRED', 'Grant consent in the Entra admin centre.');
    expect(userMessage(error, enUS)).toEqual({ title: 'The tenant administrator has not granted consent yet.', detail: 'Grant consent in the Entra admin centre.' });
    expect(userMessage(error, idID).title).toBe('Administrator penyewa belum memberikan persetujuan.');
    expect(userMessage(new ApiError(503, 'SOMETHING_NEW', ''), enUS)).toEqual({ title: 'The Rapport service had a problem.', detail: null });
  });
});

describe('router', () => {
  it.each([
    ['', { name: 'dashboard' }],
    ['#/', { name: 'dashboard' }],
    ['#/segments', { name: 'segments', query: new URLSearchParams() }],
    ['#/settings', { name: 'settings' }],
    ['#/setup', { name: 'setup' }],
    ['#/users', { name: 'users' }],
    ['#/config', { name: 'config' }],
    ['#/accounts/A%2F7', { name: 'account', id: 'A/7' }],
    ['#/nope', { name: 'notFound', path: '/nope' }],
  ])('when the hash is %p, then the route is %p', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it('when the segments route opens a segment, then its id round-trips through paths.segments', () => {
    const route = parseHash(paths.segments('stale-never-contacted'));
    expect(route.name === 'segments' && route.query.get('open')).toBe('stale-never-contacted');
  });

  it('when the office route has a query, then the filters are read from it', () => {
    const route = parseHash('#/office?band=High&level=month');
    expect(route.name === 'office' && Object.fromEntries(route.query)).toEqual({ band: 'High', level: 'month' });
  });
});

describe('Teams helpers', () => {
  it('when a card deep link is built, then the account id travels as subEntityId', () => {
    const link = buildCardDeepLink('11111111-2222-3333-4444-555555555555', 'A-001', { label: 'Fabrikam' });
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://teams.microsoft.com/l/entity/11111111-2222-3333-4444-555555555555/rapport-dashboard');
    expect(JSON.parse(url.searchParams.get('context') ?? '{}')).toEqual({ subEntityId: 'A-001' });
    expect(url.searchParams.get('label')).toBe('Fabrikam');
  });

  it.each([
    ['id', 'id-ID'],
    ['id-ID', 'id-ID'],
    ['id-id', 'id-ID'],
    ['en-GB', 'en-US'],
    [null, 'en-US'],
  ])('when the locale is %p, then the UI uses %p', (input, locale) => {
    expect(pickLocale(input)).toBe(locale);
  });
});
