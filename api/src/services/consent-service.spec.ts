import type { SelectedMailbox } from '../engagement/types';
import type { ActivitySource, MailboxAccess, TenantGateway } from '../enrichment/ports';
import { AppError } from '../errors';
import { MemoryDocument } from '../store/document-store';
import {
  ConsentService,
  decidePermissions,
  keptPendingStates,
  mailboxPermissionsToProbe,
  missingPermissions,
  REQUIRED_PERMISSIONS,
  type ExchangeRbacProbe,
  type PermissionDecision,
} from './consent-service';
import { silentLogger } from './logger';
import { emptyAppState, type AppState, type EnrichmentConfig } from './state';

const DIRECTORY = ['User.Read.All', 'GroupMember.Read.All'];
const ALL = ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', ...DIRECTORY];
const BOTH: MailboxAccess = { mail: 'granted', calendar: 'granted' };
const NEITHER: MailboxAccess = { mail: 'denied', calendar: 'denied' };
const MAIL_ONLY: MailboxAccess = { mail: 'granted', calendar: 'denied' };
const probed = (...mailboxes: [string, MailboxAccess | 'unavailable'][]): ExchangeRbacProbe => ({
  outcome: 'probed',
  mailboxes: mailboxes.map(([mailbox, access]) => ({ mailbox, access })),
});

describe('missingPermissions', () => {
  it('when no roles are granted, then every required permission is missing', () => {
    expect(missingPermissions([])).toEqual([...REQUIRED_PERMISSIONS]);
  });

  it('when the least-privilege roles are granted, then nothing is missing', () => {
    expect(missingPermissions(ALL)).toEqual([]);
  });

  it('when broader roles are granted, then they cover the narrower ones', () => {
    expect(missingPermissions(['Mail.Read', 'Calendars.Read', 'Directory.Read.All'])).toEqual([]);
  });

  it('when only mail is granted, then calendar and directory permissions are missing', () => {
    expect(missingPermissions(['Mail.ReadBasic.All'])).toEqual(['Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All']);
  });
});

describe('mailboxPermissionsToProbe', () => {
  it.each<[string, string[], string[]]>([
    ['every permission', ALL, []],
    ['broader mail and calendar roles', ['Mail.Read', 'Calendars.ReadWrite', ...DIRECTORY], []],
    ['only the directory permissions (the RBAC for Applications set-up)', DIRECTORY, ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All']],
    ['mail but not calendar', ['Mail.ReadBasic.All', ...DIRECTORY], ['Calendars.ReadBasic.All']],
    ['no roles at all', [], ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All']],
  ])('when the token holds %s, then only the mailbox permissions it lacks are looked for in Exchange', (_, roles, expected) => {
    expect(mailboxPermissionsToProbe(roles)).toEqual(expected);
  });
});

describe('decidePermissions', () => {
  type Row = [string, string[], ExchangeRbacProbe | null, Pick<PermissionDecision, 'missingPermissions' | 'grantedThrough'> & { mailboxes: string[] | null }];
  it.each<Row>([
    [
      'every permission is in the token',
      ALL,
      null,
      { missingPermissions: [], grantedThrough: { 'Mail.ReadBasic.All': 'appRole', 'Calendars.ReadBasic.All': 'appRole', 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' }, mailboxes: null },
    ],
    [
      'Exchange grants mail and calendar on the probed mailbox',
      DIRECTORY,
      probed(['alice@contoso.com', BOTH]),
      {
        missingPermissions: [],
        grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac', 'Calendars.ReadBasic.All': 'exchangeRbac', 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' },
        mailboxes: ['alice@contoso.com'],
      },
    ],
    [
      'the first mailbox is outside the scope and the second inside',
      DIRECTORY,
      probed(['alice@contoso.com', NEITHER], ['bob@contoso.com', BOTH]),
      {
        missingPermissions: [],
        grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac', 'Calendars.ReadBasic.All': 'exchangeRbac', 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' },
        mailboxes: ['alice@contoso.com', 'bob@contoso.com'],
      },
    ],
    [
      'Exchange refuses every probed mailbox (ErrorAccessDenied)',
      DIRECTORY,
      probed(['alice@contoso.com', NEITHER], ['bob@contoso.com', NEITHER]),
      { missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'], grantedThrough: { 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' }, mailboxes: ['alice@contoso.com', 'bob@contoso.com'] },
    ],
    [
      'only Application Mail.ReadBasic is assigned in Exchange',
      DIRECTORY,
      probed(['alice@contoso.com', MAIL_ONLY]),
      {
        missingPermissions: ['Calendars.ReadBasic.All'],
        grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac', 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' },
        mailboxes: ['alice@contoso.com'],
      },
    ],
    [
      'mail is in the token and calendar granted in Exchange',
      ['Mail.ReadBasic.All', ...DIRECTORY],
      probed(['alice@contoso.com', BOTH]),
      {
        missingPermissions: [],
        grantedThrough: { 'Mail.ReadBasic.All': 'appRole', 'Calendars.ReadBasic.All': 'exchangeRbac', 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' },
        mailboxes: ['alice@contoso.com'],
      },
    ],
    [
      'the probed user has no Exchange mailbox',
      DIRECTORY,
      probed(['carol@contoso.com', 'unavailable']),
      { missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'], grantedThrough: { 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' }, mailboxes: ['carol@contoso.com'] },
    ],
    [
      'there is no configuration yet',
      DIRECTORY,
      { outcome: 'notConfigured' },
      { missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'], grantedThrough: { 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' }, mailboxes: [] },
    ],
    [
      'the probe failed on a Graph fault',
      DIRECTORY,
      { outcome: 'failed', message: 'Microsoft Graph answered 503' },
      { missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'], grantedThrough: { 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' }, mailboxes: [] },
    ],
    [
      'there are no roles and the directory cannot be read',
      [],
      { outcome: 'directoryUnreadable' },
      { missingPermissions: [...REQUIRED_PERMISSIONS], grantedThrough: {}, mailboxes: [] },
    ],
  ])('when %s, then the missing permissions and where each granted one comes from follow', (_, roles, probe, expected) => {
    const decision = decidePermissions(roles, probe);
    expect(decision.missingPermissions).toEqual(expected.missingPermissions);
    expect(decision.grantedThrough).toEqual(expected.grantedThrough);
    expect(decision.exchangeRbac?.mailboxes ?? null).toEqual(expected.mailboxes);
  });

  it('when a permission is granted in Exchange, then it is listed with the token roles and the message names the mailbox that answered', () => {
    const decision = decidePermissions(DIRECTORY, probed(['alice@contoso.com', NEITHER], ['bob@contoso.com', BOTH]));
    expect(decision.grantedPermissions).toEqual(['Calendars.ReadBasic.All', 'GroupMember.Read.All', 'Mail.ReadBasic.All', 'User.Read.All']);
    expect(decision.exchangeRbac?.message).toBe('Mail.ReadBasic.All and Calendars.ReadBasic.All are granted through Exchange RBAC for Applications (read on bob@contoso.com).');
  });

  it('when Exchange refuses the probed mailboxes, then the message names them with ErrorAccessDenied', () => {
    const decision = decidePermissions(['Mail.ReadBasic.All', ...DIRECTORY], probed(['alice@contoso.com', MAIL_ONLY], ['carol@contoso.com', 'unavailable']));
    expect(decision.exchangeRbac?.message).toBe(
      'Calendars.ReadBasic.All is not in the app token, and Exchange Online does not grant it either: Microsoft Graph refused alice@contoso.com (ErrorAccessDenied); ' +
        'carol@contoso.com has no mailbox to read. Grant the permission in Entra ID, or assign the Exchange application role with a scope that holds the selected mailboxes (docs/deploy.md).',
    );
  });

  it('when nothing is configured yet, then the message says Exchange grants are checked once mailboxes are configured', () => {
    expect(decidePermissions(DIRECTORY, { outcome: 'notConfigured' }).exchangeRbac?.message).toMatch(/^Mail\.ReadBasic\.All and Calendars\.ReadBasic\.All are not in the app token\. .*checked once mailboxes are configured/);
  });
});

describe('ConsentService: the Exchange RBAC check', () => {
  const mailbox = (name: string): SelectedMailbox => ({ id: `u-${name}`, mail: `${name}@contoso.com` });

  /** A source that knows only how to resolve and probe; each mailbox answers from `access`. */
  function fakeSource(mailboxes: SelectedMailbox[], access: Record<string, MailboxAccess | Error>, probes: string[]): ActivitySource {
    const notImplemented = (): never => {
      throw new Error('not implemented');
    };
    return {
      resolveMailboxes: async (entries) => ({ entries: entries.map((input) => ({ input, kind: 'unknown' as const })), mailboxes }),
      probeMailboxAccess: async (m) => {
        probes.push(m.mail);
        const answer = access[m.mail] ?? NEITHER;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      organization: notImplemented,
      folderScan: notImplemented,
      messagePages: notImplemented,
      eventPages: notImplemented,
      stats: notImplemented,
    };
  }

  function setUp(options: { roles: string[]; configured: boolean; mailboxes?: SelectedMailbox[]; access?: Record<string, MailboxAccess | Error> }) {
    const probes: string[] = [];
    const initial: AppState = emptyAppState();
    initial.consent.status = 'granted';
    if (options.configured) {
      initial.configVersions.push({
        version: 1,
        config: { orgEntries: ['sales@contoso.com'] } as EnrichmentConfig,
        savedAt: '2026-03-01T00:00:00.000Z',
        savedBy: { id: 'admin', name: 'Admin' },
      });
    }
    const state = new MemoryDocument<AppState>(initial);
    const gateway: TenantGateway = {
      mode: 'demo',
      tenantId: 't',
      clientId: 'c',
      authorityHost: 'http://127.0.0.1',
      newSource: () => fakeSource(options.mailboxes ?? [mailbox('alice'), mailbox('bob')], options.access ?? {}, probes),
      grantedRoles: async () => options.roles,
    };
    const service = new ConsentService({ state, gateway, clock: { now: () => new Date('2026-03-02T12:00:00.000Z') }, logger: silentLogger });
    return { service, probes, state };
  }

  it('when the token holds every permission, then no mailbox is read', async () => {
    const { service, probes } = setUp({ roles: ALL, configured: true });
    const view = await service.check();
    expect(view).toMatchObject({ status: 'granted', missingPermissions: [], exchangeRbac: null });
    expect(probes).toEqual([]);
  });

  it('when the first mailbox answers, then only it is read and the permissions are granted through Exchange', async () => {
    const { service, probes } = setUp({ roles: DIRECTORY, configured: true, access: { 'alice@contoso.com': BOTH } });
    const view = await service.check();
    expect(view).toMatchObject({ missingPermissions: [], grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac', 'Calendars.ReadBasic.All': 'exchangeRbac' } });
    expect(probes).toEqual(['alice@contoso.com']);
    expect(await service.isReady()).toBe(true);
  });

  it('when every selected mailbox is refused, then at most three are read and the permissions stay missing', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map(mailbox);
    const { service, probes } = setUp({ roles: DIRECTORY, configured: true, mailboxes: five });
    const view = await service.check();
    expect(view.missingPermissions).toEqual(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All']);
    expect(probes).toEqual(['a@contoso.com', 'b@contoso.com', 'c@contoso.com']);
    expect(view.exchangeRbac?.mailboxes).toEqual(['a@contoso.com', 'b@contoso.com', 'c@contoso.com']);
  });

  it('when a user has no Exchange mailbox, then the next selected mailbox is read', async () => {
    const unavailable = new AppError('GRAPH_MAILBOX_UNAVAILABLE', 'MailboxNotEnabledForRESTAPI', { graphCode: 'MailboxNotEnabledForRESTAPI' });
    const { service, probes } = setUp({ roles: DIRECTORY, configured: true, access: { 'alice@contoso.com': unavailable, 'bob@contoso.com': BOTH } });
    expect((await service.check()).missingPermissions).toEqual([]);
    expect(probes).toEqual(['alice@contoso.com', 'bob@contoso.com']);
  });

  it('when the probe hits a Graph fault, then the check still answers and says the grant could not be checked', async () => {
    const fault = new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph answered 503 ServiceUnavailable');
    const { service } = setUp({ roles: DIRECTORY, configured: true, access: { 'alice@contoso.com': fault } });
    const view = await service.check();
    expect(view.missingPermissions).toEqual(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All']);
    expect(view.exchangeRbac?.message).toContain('could not be checked: Microsoft Graph answered 503 ServiceUnavailable');
  });

  it('when nothing is configured, then no mailbox is read and a run is refused with the reason', async () => {
    const { service, probes } = setUp({ roles: DIRECTORY, configured: false });
    await service.check();
    await expect(service.assertReady()).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', message: expect.stringContaining('checked once mailboxes are configured') });
    expect(probes).toEqual([]);
  });

  it('when the Exchange grant arrives after the last check, then the next run start reads it again and proceeds', async () => {
    const access: Record<string, MailboxAccess> = {};
    const { service, probes } = setUp({ roles: DIRECTORY, configured: true, mailboxes: [mailbox('alice')], access });
    await service.check();
    expect(await service.isReady()).toBe(false);
    access['alice@contoso.com'] = BOTH;
    await expect(service.assertReady()).resolves.toBeUndefined();
    expect(probes).toEqual(['alice@contoso.com', 'alice@contoso.com']);
  });
});

describe('keptPendingStates', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const later = '2026-12-01T01:00:00.000Z';
  const popup = (n: number) => ({ state: `p${n}`, expiresAt: later });
  const link = (n: number) => ({ state: `l${n}`, expiresAt: '2026-12-08T00:00:00.000Z', adminLink: true });
  type Row = [string, { state: string; expiresAt: string; adminLink?: boolean }[], string[]];
  it.each<Row>([
    ['expired states are dropped', [{ state: 'old', expiresAt: '2026-11-30T23:59:59.000Z' }, popup(1)], ['p1']],
    ['room is left for one new state', Array.from({ length: 20 }, (_, i) => popup(i)), Array.from({ length: 19 }, (_, i) => `p${i + 1}`)],
    [
      'a full list drops the oldest popup states, never a link sent to the tenant administrator',
      [link(0), ...Array.from({ length: 19 }, (_, i) => popup(i))],
      ['l0', ...Array.from({ length: 18 }, (_, i) => `p${i + 1}`)],
    ],
    ['links alone are trimmed oldest first', Array.from({ length: 20 }, (_, i) => link(i)), Array.from({ length: 19 }, (_, i) => `l${i + 1}`)],
  ])('when %s', (_what, pending, kept) => {
    expect(keptPendingStates(pending, now).map((p) => p.state)).toEqual(kept);
  });
});
