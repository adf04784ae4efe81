/** The setup wizard: org resolution, dataset upload and mapping, the versioned configuration, the schedule. */
import request from 'supertest';
import { loadConfig } from '../../api/src/config';
import { isAppError } from '../../api/src/errors';
import type { RunningSimulator } from '../../api/src/simulator';
import { configBody, configure, startHarness, startSharedSimulator, uploadContacts, type Harness } from './support/harness';

let simulator: RunningSimulator;
let h: Harness;
beforeAll(async () => {
  simulator = await startSharedSimulator();
});
afterAll(() => simulator.close());
beforeEach(async () => {
  h = await startHarness({ sharedSimulator: simulator });
});
afterEach(() => h.close());

const snapshot = async () => ({
  state: structuredClone(await h.stores.state.read()),
  datasets: await h.stores.datasets.list(),
});

describe('POST /api/config/org/resolve', () => {
  beforeEach(() => simulator.consent.grant());
  afterEach(() => simulator.consent.revoke());

  it('when a group and a user are entered, then the group is expanded and the mailboxes are counted', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: ['sales@contoso.com', 'carol@contoso.com'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mailboxCount: 3,
      valid: true,
      problems: [],
      entries: [
        { entry: 'sales@contoso.com', kind: 'group', memberCount: 2 },
        { entry: 'carol@contoso.com', kind: 'user', id: 'u-carol' },
      ],
    });
  });

  it('when an entry is unknown, then valid is false and the problem names that entry', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: ['sales@contoso.com', 'nobody@contoso.com'] });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.problems).toEqual([{ entry: 'nobody@contoso.com', message: expect.stringContaining('nobody@contoso.com was not found') }]);
  });

  it('when the entries resolve to fewer than 2 mailboxes, then valid is false and says at least 2', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: ['alice@contoso.com'] });
    expect(res.body).toMatchObject({ mailboxCount: 1, valid: false });
    expect(res.body.problems[0].message).toContain('at least 2');
  });

  it('when a disabled user is named directly, then it is kept and marked signInDisabled (a shared mailbox)', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: ['alice@contoso.com', 'dave@contoso.com'] });
    expect(res.body).toMatchObject({ mailboxCount: 2, valid: true, warnings: [] });
    expect(res.body.entries[1]).toMatchObject({ entry: 'dave@contoso.com', kind: 'user', reason: 'signInDisabled' });
  });

  it('when no entries are sent, then 400 VALIDATION_FAILED names body.entries', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: [] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('body.entries') });
  });
});

describe('POST /api/config/org/resolve before consent', () => {
  it('when the tenant has not consented, then 412 CONSENT_REQUIRED explains the directory cannot be read yet', async () => {
    const res = await request(h.app).post('/api/config/org/resolve').send({ entries: ['sales@contoso.com'] });
    expect(res.status).toBe(412);
    expect(res.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', message: expect.stringContaining('cannot be read until') });
  });
});

describe('POST /api/datasets', () => {
  it('when a CSV is streamed, then the columns, the row count and a 5-row preview come back', async () => {
    const csv = ['Email,AccountId,AccountName', ...Array.from({ length: 8 }, (_, i) => `p${i}@fabrikam.com,A${i},Acc ${i}`)].join('\n');
    const res = await request(h.app).post('/api/datasets?kind=contacts&fileName=contacts.csv').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'contacts', fileName: 'contacts.csv', rows: 8, columns: ['Email', 'AccountId', 'AccountName'] });
    expect(res.body.preview).toHaveLength(5);
    expect(res.body.preview[0]).toEqual({ Email: 'p0@fabrikam.com', AccountId: 'A0', AccountName: 'Acc 0' });
    const list = await request(h.app).get('/api/datasets');
    expect(list.body.datasets.map((d: { id: string }) => d.id)).toEqual([res.body.datasetId]);
  });

  it('when 200,000 contacts are uploaded, then all rows are read (beyond the 1 MB JSON limit)', async () => {
    const lines = ['Email,AccountId,AccountName,Phone'];
    for (let i = 0; i < 200_000; i += 1) lines.push(`contact${i}@customer${i % 5000}.com,ACC-${i % 5000},Customer ${i % 5000},+31 20 555 ${String(i).padStart(6, '0')}`);
    const csv = lines.join('\n');
    expect(csv.length).toBeGreaterThan(10_000_000);
    const res = await request(h.app).post('/api/datasets?kind=contacts&fileName=big.csv').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(201);
    expect(res.body.rows).toBe(200_000);
    const mapping = await request(h.app).post(`/api/datasets/${res.body.datasetId}/mapping`).send({ email: 'Email', accountId: 'AccountId', accountName: 'AccountName' });
    expect(mapping.status).toBe(200);
    expect(mapping.body.report).toMatchObject({ rows: 200_000, contacts: 200_000, accounts: 5000 });
  }, 60_000);

  it('when the CSV is malformed, then 400 CSV_MALFORMED names the file and line, and nothing is stored', async () => {
    const before = await snapshot();
    const res = await request(h.app).post('/api/datasets?fileName=bad.csv').set('Content-Type', 'text/csv').send('Email,AccountId\na@b.com,1\nc@d.com,2,extra\n');
    expect(res.status).toBe(400);
    // Which row and what to fix, in words (issue 16: the upload step shows this message as is).
    expect(res.body.error).toMatchObject({ code: 'CSV_MALFORMED', message: expect.stringMatching(/bad\.csv, row 3 .*double quotes/) });
    expect(await snapshot()).toEqual(before);
  });

  it('when the file is larger than the limit, then 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    await h.close();
    h = await startHarness({ sharedSimulator: simulator, maxUploadBytes: 1024 });
    const before = await snapshot();
    const res = await request(h.app).post('/api/datasets?fileName=big.csv').set('Content-Type', 'text/csv').send(`Email,AccountId\n${'a@b.com,1\n'.repeat(200)}`);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('big.csv') });
    expect(await snapshot()).toEqual(before);
  });

  it('when the body is not CSV, then 400 says to send text/csv', async () => {
    const res = await request(h.app).post('/api/datasets').set('Content-Type', 'application/json').send({ a: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('text/csv');
  });

  it('when kind is unknown, then 400 names query.kind', async () => {
    const res = await request(h.app).post('/api/datasets?kind=leads').set('Content-Type', 'text/csv').send('a\n1');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('query.kind');
  });
});

describe('GET /api/datasets/{id}', () => {
  it('when an uploaded dataset is read back, then it answers what the upload answered', async () => {
    const csv = ['Email,AccountId', ...Array.from({ length: 7 }, (_, i) => `p${i}@fabrikam.com,A${i}`)].join('\n');
    const upload = await request(h.app).post('/api/datasets?kind=contacts&fileName=c.csv').set('Content-Type', 'text/csv').send(csv).expect(201);
    const res = await request(h.app).get(`/api/datasets/${upload.body.datasetId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(upload.body);
  });

  it('when the dataset does not exist, then 404 says to upload the file again', async () => {
    const res = await request(h.app).get('/api/datasets/ds_nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('upload the file again') });
  });
});

describe('POST /api/datasets/{id}/mapping', () => {
  const messy = [
    'Email,AccountId,AccountName,Website',
    'jane@fabrikam.com,A,Fabrikam,fabrikam.com',
    ',A,Fabrikam,',
    'not-an-email,B,Northwind,',
    'shared@both.com,A,Fabrikam,',
    'shared@both.com,B,Northwind,',
    'joe@gmail.com,C,Cafe,',
    'x@fabrikam.com,,,',
  ].join('\n');

  it('when the mapping is valid, then the report counts every kind of problem and previews the accounts', async () => {
    const id = await uploadContacts(h, messy);
    const res = await request(h.app).post(`/api/datasets/${id}/mapping`).send({ email: 'Email', accountId: 'AccountId', accountName: 'AccountName', domain: 'Website' });
    expect(res.status).toBe(200);
    expect(res.body.report).toMatchObject({
      rows: 7,
      accounts: 3,
      rowsWithoutEmail: 1,
      rowsWithoutAccount: 1,
      invalidEmails: 1,
      invalidEmailSamples: ['not-an-email'],
      multiAccountContacts: 1,
      multiAccountContactSamples: [{ email: 'shared@both.com', accountIds: ['A', 'B'], chosen: 'A' }],
      ambiguousDomains: ['both.com'],
      freemailOnlyAccounts: 1,
      freemailOnlyAccountIds: ['C'],
    });
    expect(res.body.accountsPreview).toEqual([
      { accountId: 'A', name: 'Fabrikam', contacts: 3, domains: ['fabrikam.com'] },
      { accountId: 'B', name: 'Northwind', contacts: 2, domains: [] },
      { accountId: 'C', name: 'Cafe', contacts: 1, domains: [] },
    ]);
  });

  it('when a mapped column does not exist, then 400 CSV_MISSING_COLUMN lists the columns there are', async () => {
    const id = await uploadContacts(h, messy);
    const res = await request(h.app).post(`/api/datasets/${id}/mapping`).send({ email: 'E-mail', accountId: 'AccountId' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CSV_MISSING_COLUMN', message: expect.stringContaining('Email, AccountId, AccountName, Website') });
  });

  it('when the dataset does not exist, then 404 says to upload again', async () => {
    const res = await request(h.app).post('/api/datasets/ds_missing/mapping').send({ email: 'Email', accountId: 'AccountId' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('upload the file again');
  });

  it('when an accounts file is given, then its names and website domains are used', async () => {
    const contacts = await uploadContacts(h, 'Email,AccountId\njane@fabrikam.com,A\nbob@northwind.com,B');
    const accounts = await request(h.app)
      .post('/api/datasets?kind=accounts&fileName=accounts.csv')
      .set('Content-Type', 'text/csv')
      .send('account_id,name,website\nA,Fabrikam Inc,https://www.fabrikam.com/\nB,Northwind,northwind.com');
    const res = await request(h.app)
      .post(`/api/datasets/${contacts}/mapping`)
      .send({ email: 'Email', accountId: 'AccountId', accountsDatasetId: accounts.body.datasetId, accountsMapping: { accountId: 'account_id', name: 'name', domain: 'website' } });
    expect(res.status).toBe(200);
    expect(res.body.accountsPreview).toEqual([
      { accountId: 'A', name: 'Fabrikam Inc', contacts: 1, domains: ['fabrikam.com'] },
      { accountId: 'B', name: 'Northwind', contacts: 1, domains: ['northwind.com'] },
    ]);
  });
});

describe('PUT /api/config', () => {
  it('when the wizard saves, then a version is created with who accepted the consent statement and when', async () => {
    const id = await uploadContacts(h);
    const res = await request(h.app).put('/api/config').send(configBody(id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 1,
      updatedBy: 'Demo Admin',
      config: {
        name: 'Sales engagement',
        orgEntries: ['sales@contoso.com'],
        consentAccepted: true,
        consentStatement: { acceptedBy: '00000000-0000-0000-0000-0000000000ad', acceptedByName: 'Demo Admin', acceptedAt: h.time.now().toISOString() },
        rules: { staleDays: 60, upcomingMeetingSuppressesStale: true },
      },
    });
    const read = await request(h.app).get('/api/config');
    expect(read.body).toMatchObject({ version: 1, config: { name: 'Sales engagement' }, updatedBy: 'Demo Admin' });
  });

  it('when saved twice, then each save is a new immutable version and the old one is unchanged', async () => {
    await configure(h);
    const first = structuredClone((await h.stores.state.read()).configVersions[0]);
    const id = await uploadContacts(h);
    const res = await request(h.app).put('/api/config').send(configBody(id, { name: 'Renamed', rules: { staleDays: 30 } }));
    expect(res.body.version).toBe(2);
    const state = await h.stores.state.read();
    expect(state.configVersions[0]).toEqual(first);
    expect(state.configVersions[1]?.config).toMatchObject({ name: 'Renamed', rules: { staleDays: 30 } });
    const versions = await request(h.app).get('/api/config/versions');
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it.each([
    ['consent not ticked', 'body.consentAccepted', { consentAccepted: false }],
    ['no name', 'body.name', { name: '' }],
    ['a bad time zone', 'body.schedule.timeZone', { schedule: { dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'Mars/Base' } }],
    ['weights that do not add up', 'body.rules.weights', { rules: { weights: { emails: 0.5, meetings: 0.5, breadth: 0.5, recency: 0, reciprocity: 0 } } }],
  ])('when the body has %s, then 400 VALIDATION_FAILED names %s and nothing is stored', async (_what, path, override) => {
    const id = await uploadContacts(h);
    const before = await snapshot();
    const res = await request(h.app).put('/api/config').send(configBody(id, override));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(path) });
    expect(await snapshot()).toEqual(before);
  });

  it('when a mapped column is missing from the dataset, then 400 CSV_MISSING_COLUMN and nothing is stored', async () => {
    const id = await uploadContacts(h);
    const before = await snapshot();
    const res = await request(h.app)
      .put('/api/config')
      .send(configBody(id, { contacts: { datasetId: id, mapping: { email: 'Mail', accountId: 'AccountId' } } }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CSV_MISSING_COLUMN');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['the contacts file', (id: string) => ({ contacts: { datasetId: id, mapping: { email: 'Email', accountId: 'AccountId', owner: 'Seller' } } })],
    ['the accounts file', (id: string) => ({ accounts: { datasetId: id, mapping: { accountId: 'AccountId', owner: 'Seller' } } })],
  ])('when the owner column named for %s is not in it, then 400 CSV_MISSING_COLUMN names the column and the file’s columns, and nothing is stored', async (file, override) => {
    const id = await uploadContacts(h);
    // The accounts case: the same table uploaded as the accounts file.
    const accountsId = (await request(h.app).post('/api/datasets?kind=accounts&fileName=accounts.csv').set('Content-Type', 'text/csv').send('AccountId,AccountName\nA,Fabrikam\n')).body.datasetId as string;
    const before = await snapshot();
    const res = await request(h.app).put('/api/config').send(configBody(id, override(file === 'the accounts file' ? accountsId : id)));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CSV_MISSING_COLUMN', details: { column: 'Seller' } });
    expect(res.body.error.message).toMatch(/no column "Seller" \(owner column\)/);
    expect(res.body.error.message).toMatch(file === 'the accounts file' ? /Its columns are: AccountId, AccountName\./ : /Its columns are: Email, AccountId, AccountName\./);
    expect(await snapshot()).toEqual(before);
  });

  it('when consent is granted and an org entry is unknown, then 400 UNKNOWN_ORG_ENTRY names it and nothing is stored', async () => {
    simulator.consent.grant();
    try {
      const id = await uploadContacts(h);
      const before = await snapshot();
      const res = await request(h.app).put('/api/config').send(configBody(id, { orgEntries: ['sales@contoso.com', 'ghost@contoso.com'] }));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'UNKNOWN_ORG_ENTRY', message: expect.stringContaining('ghost@contoso.com') });
      const tooFew = await request(h.app).put('/api/config').send(configBody(id, { orgEntries: ['alice@contoso.com'] }));
      expect(tooFew.status).toBe(400);
      expect(tooFew.body.error.code).toBe('MAILBOX_COUNT_OUT_OF_RANGE');
      expect(await snapshot()).toEqual(before);
    } finally {
      simulator.consent.revoke();
    }
  });

  it('when expectedVersion is stale, then 409 CONFIG_VERSION_CONFLICT and nothing is stored', async () => {
    await configure(h);
    const id = await uploadContacts(h);
    const before = await snapshot();
    const res = await request(h.app).put('/api/config').send(configBody(id, { expectedVersion: 0 }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFIG_VERSION_CONFLICT', details: { currentVersion: 1 } });
    expect(await snapshot()).toEqual(before);
  });
});

describe('PUT /api/config, saving twice in a row (the wizard after a save)', () => {
  it('when each save sends the version the previous save answered, then both succeed as versions 1 and 2', async () => {
    const id = await uploadContacts(h);
    const first = await request(h.app).put('/api/config').send(configBody(id, { expectedVersion: 0 }));
    expect(first.status).toBe(200);
    const second = await request(h.app).put('/api/config').send(configBody(id, { name: 'Renamed', expectedVersion: first.body.version }));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 2, config: { name: 'Renamed' } });
    expect((await request(h.app).get('/api/config')).body).toMatchObject({ version: 2, config: { name: 'Renamed' } });
  });
});

describe('PUT /api/config, the tenant administrator', () => {
  const ida = { name: 'Ida Admin', email: ' Ida@Contoso.com ' };

  it('when a tenant administrator is named, then the version stores the name and the lower-cased email', async () => {
    const id = await uploadContacts(h);
    const res = await request(h.app).put('/api/config').send(configBody(id, { tenantAdmin: ida }));
    expect(res.status).toBe(200);
    expect(res.body.config.tenantAdmin).toEqual({ name: 'Ida Admin', email: 'ida@contoso.com' });
    expect((await h.stores.state.read()).configVersions[0]?.config.tenantAdmin).toEqual({ name: 'Ida Admin', email: 'ida@contoso.com' });
  });

  it('when a later save leaves it out, then it is kept; when it sends null, then it is removed', async () => {
    const id = await uploadContacts(h);
    await request(h.app).put('/api/config').send(configBody(id, { tenantAdmin: ida })).expect(200);
    const kept = await request(h.app).put('/api/config').send(configBody(id, { name: 'Renamed' }));
    expect(kept.body.config.tenantAdmin).toEqual({ name: 'Ida Admin', email: 'ida@contoso.com' });
    const removed = await request(h.app).put('/api/config').send(configBody(id, { tenantAdmin: null }));
    expect(removed.status).toBe(200);
    expect(removed.body.config).not.toHaveProperty('tenantAdmin');
  });

  it.each([
    ['an email that is not an address', 'body.tenantAdmin.email', { name: 'Ida', email: 'ida at contoso' }, 'it-admin@contoso.com'],
    ['no name', 'body.tenantAdmin.name', { name: '  ', email: 'ida@contoso.com' }, 'tenant administrator’s name'],
  ])('when the tenant administrator has %s, then 400 names %s, says what to enter, and nothing is stored', async (_what, path, tenantAdmin, hint) => {
    const id = await uploadContacts(h);
    const before = await snapshot();
    const res = await request(h.app).put('/api/config').send(configBody(id, { tenantAdmin }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(path) });
    expect(res.body.error.message).toContain(hint);
    expect(await snapshot()).toEqual(before);
  });
});

describe('GET /api/config/history', () => {
  it('when nothing is saved, then the history is empty', async () => {
    const res = await request(h.app).get('/api/config/history');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ versions: [] });
  });

  it('when versions change different parts, then each names who saved it, when, and the parts it changed, newest first', async () => {
    const id = await uploadContacts(h);
    await request(h.app).put('/api/config').send(configBody(id)).expect(200);
    await h.time.advance(60_000);
    await request(h.app).put('/api/config').send(configBody(id, { name: 'Renamed', tenantAdmin: { name: 'Ida', email: 'ida@contoso.com' } })).expect(200);
    await h.time.advance(60_000);
    await request(h.app).put('/api/schedule').send({ dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'UTC' }).expect(200);
    const res = await request(h.app).get('/api/config/history');
    expect(res.status).toBe(200);
    expect(res.body.versions).toEqual([
      { version: 3, savedAt: h.time.now().toISOString(), savedBy: { id: expect.any(String), name: 'Demo Admin' }, changed: ['schedule'], first: false },
      { version: 2, savedAt: expect.any(String), savedBy: { id: expect.any(String), name: 'Demo Admin' }, changed: ['name', 'tenantAdmin'], first: false },
      { version: 1, savedAt: expect.any(String), savedBy: { id: expect.any(String), name: 'Demo Admin' }, changed: [], first: true },
    ]);
  });
});

describe('GET/PUT /api/schedule', () => {
  it('when nothing is configured, then the default weekly schedule is shown with no next run', async () => {
    const res = await request(h.app).get('/api/schedule');
    expect(res.body).toEqual({ schedule: { dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'UTC' }, nextRunAt: null, explicit: false });
  });

  it('when the schedule is changed, then it is a new configuration version in its own time zone', async () => {
    await configure(h);
    const res = await request(h.app).put('/api/schedule').send({ dayOfWeek: 5, hour: 7, minute: 30, timeZone: 'Europe/Amsterdam' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schedule: { dayOfWeek: 5, hour: 7, minute: 30, timeZone: 'Europe/Amsterdam' }, explicit: true });
    expect((await request(h.app).get('/api/config')).body.version).toBe(2);
  });

  it('when nothing is configured yet, then changing the schedule is 412 NOT_CONFIGURED and nothing is stored', async () => {
    const before = await snapshot();
    const res = await request(h.app).put('/api/schedule').send({ dayOfWeek: 5, hour: 7, minute: 30, timeZone: 'UTC' });
    expect(res.status).toBe(412);
    expect(res.body.error.code).toBe('NOT_CONFIGURED');
    expect(await snapshot()).toEqual(before);
  });

  it('when the hour is out of range, then 400 names body.hour', async () => {
    await configure(h);
    const res = await request(h.app).put('/api/schedule').send({ dayOfWeek: 1, hour: 24, minute: 0, timeZone: 'UTC' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.hour');
  });
});

describe('loadConfig: where the server listens and how the bot authenticates', () => {
  const production = { TENANT_ID: 't', CLIENT_ID: 'c', CLIENT_SECRET: 's', BOT_ID: 'bot', BOT_PASSWORD: 'pw', SSO_AUDIENCE: 'api://x/c', PUBLIC_URL: 'https://rapport.example' };
  it.each([
    ['demo mode without HOST', {}, 'demo', '127.0.0.1'],
    ['demo mode with HOST', { HOST: '0.0.0.0' }, 'demo', '0.0.0.0'],
    ['demo mode with a blank HOST', { HOST: '  ' }, 'demo', '127.0.0.1'],
    ['production without HOST', production, 'production', undefined],
    ['production with HOST', { ...production, HOST: '10.1.2.3' }, 'production', '10.1.2.3'],
  ])('when %s, then the mode and the interface are as expected', (_name, env, mode, host) => {
    const config = loadConfig(env as NodeJS.ProcessEnv);
    expect(config.mode).toBe(mode);
    expect(config.host).toBe(host);
  });

  const problemOf = (env: Record<string, string>, purpose: 'server' | 'graph' = 'server'): string | null => {
    try {
      loadConfig(env, purpose);
      return null;
    } catch (e) {
      if (!isAppError(e) || e.code !== 'CONFIG_INVALID') throw e;
      return e.message;
    }
  };

  it.each([
    ['BOT_ID without BOT_PASSWORD in demo mode', { BOT_ID: 'bot' }, /BOT_ID and BOT_PASSWORD.*set together/],
    ['BOT_PASSWORD without BOT_ID in demo mode', { BOT_PASSWORD: 'pw' }, /BOT_ID and BOT_PASSWORD.*set together/],
    ['BOT_ID without BOT_PASSWORD in production', { ...production, BOT_PASSWORD: '' }, /BOT_ID and BOT_PASSWORD.*required in production/],
    ['no bot at all in production', { ...production, BOT_ID: '', BOT_PASSWORD: '' }, /BOT_ID and BOT_PASSWORD.*required in production/],
  ])('when %s, then the server refuses to start and says what to set', (_name, env, message) => {
    expect(problemOf(env)).toMatch(message);
  });

  it.each([
    ['both bot settings in demo mode', { BOT_ID: 'bot', BOT_PASSWORD: 'pw' }],
    ['neither bot setting in demo mode', {}],
    ['the headless command with BOT_ID only (it runs no bot)', { BOT_ID: 'bot' }],
  ])('when %s, then the configuration loads', (name, env) => {
    expect(problemOf(env, name.startsWith('the headless') ? 'graph' : 'server')).toBeNull();
  });
});
