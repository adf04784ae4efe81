import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { AppError } from '../errors';
import { type Stub, json, startStub } from './__tests__/stub-graph';
import {
  OAuthClientCredential,
  TOKEN_EXCHANGE_SCOPE,
  createCredential,
  grantedRoles,
  graphScope,
  managedIdentityAssertion,
  missingPermissions,
  rolesOf,
} from './credentials';

function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.signature`;
}

describe('OAuthClientCredential', () => {
  let stub: Stub;
  let issued = 0;
  let failWith: { status: number; error: string } | undefined;
  beforeEach(async () => {
    issued = 0;
    failWith = undefined;
    stub = await startStub((_req, res) => {
      if (failWith) return json(res, failWith.status, { error: failWith.error, error_description: 'nope' });
      issued += 1;
      json(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: `token-${issued}` });
    });
  });
  afterEach(() => stub.close());

  const credential = (now: () => number) =>
    new OAuthClientCredential({ tenantId: 'tenant-1', clientId: 'client-1', clientSecret: 's3cr+t&x', authorityHost: `${stub.origin}/`, now });

  it('when a token is requested, then it POSTs a form-encoded client-credentials grant to the tenant token endpoint', async () => {
    // Act
    const token = await credential(() => 1_000_000).getToken('https://graph.microsoft.com/.default');
    // Assert
    expect(token).toMatchObject({ token: 'token-1', expiresOnTimestamp: 1_000_000 + 3_600_000 });
    expect(stub.requests).toHaveLength(1);
    const [req] = stub.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/tenant-1/oauth2/v2.0/token' });
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 's3cr+t&x',
      scope: 'https://graph.microsoft.com/.default',
    });
  });

  it('when tokens are requested again before expiry, concurrently or not, then one exchange serves them all', async () => {
    const c = credential(() => 0);
    const tokens = await Promise.all([c.getToken('s/.default'), c.getToken('s/.default'), c.getToken(['s/.default'])]);
    const later = await c.getToken('s/.default');
    expect(new Set([...tokens, later].map((t) => t.token))).toEqual(new Set(['token-1']));
    expect(issued).toBe(1);
  });

  it('when the cached token is within five minutes of expiry, then a new one is fetched', async () => {
    let now = 0;
    const c = credential(() => now);
    await c.getToken('s/.default');
    now = 3_600_000 - 5 * 60_000 - 1;
    expect((await c.getToken('s/.default')).token).toBe('token-1');
    now += 1;
    expect((await c.getToken('s/.default')).token).toBe('token-2');
  });

  it('when the token endpoint rejects the client, then an AppError carries the OAuth error code', async () => {
    failWith = { status: 401, error: 'invalid_client' };
    const error = await credential(() => 0).getToken('s/.default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'GRAPH_ACCESS_DENIED', details: { graphCode: 'invalid_client', status: 401 } });
    expect((error as Error).message).not.toContain('s3cr');
  });
});

describe('createCredential', () => {
  it('when a secret and an https authority are configured, then an MSAL-backed ClientSecretCredential is built', () => {
    const c = createCredential({ tenantId: 't', clientId: 'c', clientSecret: 's', authorityHost: 'https://login.microsoftonline.us' });
    expect(c).toBeInstanceOf(ClientSecretCredential);
  });

  it('when a certificate path is configured, then a ClientCertificateCredential is built', () => {
    expect(createCredential({ tenantId: 't', clientId: 'c', certificatePath: '/tmp/cert.pem' })).toBeInstanceOf(ClientCertificateCredential);
  });

  it('when a managed identity client id is configured, then a ClientAssertionCredential is built and no secret is involved', () => {
    const c = createCredential({ tenantId: 't', clientId: 'c', managedIdentityClientId: 'mi-client' });
    expect(c).toBeInstanceOf(ClientAssertionCredential);
    expect(c).not.toBeInstanceOf(ClientSecretCredential);
  });

  it('when the federated credential is asked for an assertion, then it is the managed identity token for api://AzureADTokenExchange', async () => {
    // Arrange
    const scopes: unknown[] = [];
    const managedIdentity = { getToken: async (s: string | string[]) => (scopes.push(s), { token: 'mi-exchange-token', expiresOnTimestamp: 0 }) };
    // Act
    const assertion = await managedIdentityAssertion(managedIdentity)();
    // Assert
    expect(TOKEN_EXCHANGE_SCOPE).toBe('api://AzureADTokenExchange/.default');
    expect(scopes).toEqual([TOKEN_EXCHANGE_SCOPE]);
    expect(assertion).toBe('mi-exchange-token');
  });

  it('when the managed identity returns no token, then the assertion fails with words about the identity', async () => {
    const error = await managedIdentityAssertion({ getToken: async () => null })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH_ACCESS_DENIED', message: expect.stringMatching(/managed identity .*api:\/\/AzureADTokenExchange/) });
  });

  it('when a managed identity meets a plain-http (simulator) authority, then the configuration is rejected', () => {
    expect(() => createCredential({ tenantId: 't', clientId: 'c', managedIdentityClientId: 'mi', authorityHost: 'http://127.0.0.1:4010' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('when the authority is plain http on loopback (the simulator), then the hand-rolled OAuth credential is used', () => {
    expect(createCredential({ tenantId: 't', clientId: 'c', clientSecret: 's', authorityHost: 'http://127.0.0.1:4010' })).toBeInstanceOf(OAuthClientCredential);
  });

  it('when the authority is plain http on another host, then the configuration is rejected', () => {
    expect(() => createCredential({ tenantId: 't', clientId: 'c', clientSecret: 's', authorityHost: 'http://login.example.com' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('roles and permissions', () => {
  it('when an app token carries roles, then rolesOf returns them without verifying the signature', () => {
    expect(rolesOf(jwt({ roles: ['Mail.ReadBasic.All', 'User.Read.All', 7] }))).toEqual(['Mail.ReadBasic.All', 'User.Read.All']);
  });

  it('when the token has no roles claim, then rolesOf returns no roles', () => {
    expect(rolesOf(jwt({ aud: 'x' }))).toEqual([]);
  });

  it('when the token is not a JWT, then rolesOf fails with VALIDATION_FAILED', () => {
    expect(() => rolesOf('opaque')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('when exactly the least-privilege roles are granted, then nothing is missing', () => {
    expect(missingPermissions(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'])).toEqual([]);
  });

  it('when broader roles are granted, then they satisfy the narrower ones', () => {
    expect(missingPermissions(['Mail.Read', 'Calendars.Read', 'Directory.Read.All'])).toEqual([]);
  });

  it('when some roles are absent, then exactly those are reported, in a stable order', () => {
    expect(missingPermissions([])).toEqual(['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All']);
    expect(missingPermissions(['Mail.ReadBasic.All', 'User.Read.All'])).toEqual(['Calendars.ReadBasic.All', 'GroupMember.Read.All']);
  });

  it('when granted roles are read through a credential, then the token for the Graph scope is decoded', async () => {
    const scopes: unknown[] = [];
    const credential = { getToken: async (s: string | string[]) => (scopes.push(s), { token: jwt({ roles: ['Mail.Read'] }), expiresOnTimestamp: 0 }) };
    expect(await grantedRoles(credential, 'https://graph.microsoft.us/v1.0')).toEqual(['Mail.Read']);
    expect(scopes).toEqual(['https://graph.microsoft.us/.default']);
    expect(graphScope('http://127.0.0.1:4010/v1.0')).toBe('https://graph.microsoft.com/.default');
    expect(graphScope('https://microsoftgraph.chinacloudapi.cn/v1.0')).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
  });
});
