import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { loadConfig, redactedConfig } from '../config';
import { createCredential } from '../graph';
import { DEMO_CLIENT, startSimulator } from '../simulator';
import { tinyTenant } from '../simulator/test-tenant';
import { createProductionGateway, graphCredentialConfig } from './tenant-gateway';

// The production settings that are not the Graph credential.
const base = {
  TENANT_ID: 'tenant-1',
  CLIENT_ID: 'graph-app',
  BOT_ID: 'bot-app',
  SSO_AUDIENCE: 'api://rapport.example.com/graph-app',
  PUBLIC_URL: 'https://rapport.example.com',
};

describe('the Graph credential chosen from the configuration', () => {
  it.each([
    ['MANAGED_IDENTITY_CLIENT_ID alone: federated', { MANAGED_IDENTITY_CLIENT_ID: 'mi-client' }, ClientAssertionCredential],
    ['CLIENT_CERTIFICATE_PATH', { CLIENT_CERTIFICATE_PATH: '/certs/rapport.pem', BOT_PASSWORD: 'bp' }, ClientCertificateCredential],
    ['CLIENT_SECRET', { CLIENT_SECRET: 'graph-s3cret', BOT_PASSWORD: 'bp' }, ClientSecretCredential],
  ])('when %s is set, then the matching @azure/identity credential is built', (_name, credential, expected) => {
    const config = loadConfig({ ...base, ...credential });
    expect(config.mode).toBe('production');
    const built = createCredential(graphCredentialConfig(config));
    expect(built).toBeInstanceOf(expected);
    expect(createProductionGateway(config)).toMatchObject({ mode: 'production', tenantId: 'tenant-1', clientId: 'graph-app' });
  });

  it('when the federated credential is configured, then the credential configuration holds no secret and no certificate', () => {
    const config = loadConfig({ ...base, MANAGED_IDENTITY_CLIENT_ID: 'mi-client' });
    const chosen = graphCredentialConfig(config);
    expect(chosen).toEqual({ tenantId: 'tenant-1', clientId: 'graph-app', managedIdentityClientId: 'mi-client', authorityHost: 'https://login.microsoftonline.com' });
    expect(config.graph.clientSecret).toBeUndefined();
    expect(config.graph.certificatePath).toBeUndefined();
    expect(redactedConfig(config)).toMatchObject({ graphCredential: 'federated (managed identity mi-client)', botCredential: 'federated (managed identity)' });
  });

  it('when a secret and the managed identity are both set, then the configuration is refused and says to keep exactly one', () => {
    expect(() => loadConfig({ ...base, CLIENT_SECRET: 's', MANAGED_IDENTITY_CLIENT_ID: 'mi', BOT_PASSWORD: 'bp' })).toThrow(
      /CLIENT_SECRET and MANAGED_IDENTITY_CLIENT_ID are all set: set exactly one Graph credential/,
    );
    expect(() => loadConfig({ ...base, CLIENT_SECRET: 's', CLIENT_CERTIFICATE_PATH: '/c.pem', BOT_PASSWORD: 'bp' })).toThrow(/exactly one Graph credential/);
  });

  it('when the managed identity is set without the app ids, then the error names what goes together', () => {
    expect(() => loadConfig({ MANAGED_IDENTITY_CLIENT_ID: 'mi' })).toThrow(/TENANT_ID, CLIENT_ID and one of CLIENT_SECRET, CLIENT_CERTIFICATE_PATH or MANAGED_IDENTITY_CLIENT_ID/);
  });

  it('when nothing Entra is set, then demo mode is unchanged: no managed identity, no bot credential', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('demo');
    expect(config.graph.managedIdentityClientId).toBeUndefined();
    expect(config.bot).toEqual({ id: undefined, password: undefined, tenantId: undefined });
  });
});

describe('the bot credential chosen from the configuration', () => {
  it('when the bot has no password but the managed identity is set, then the bot is federated and single-tenant in TENANT_ID', () => {
    const config = loadConfig({ ...base, MANAGED_IDENTITY_CLIENT_ID: 'mi-client' });
    expect(config.bot).toEqual({ id: 'bot-app', password: undefined, tenantId: 'tenant-1', managedIdentityClientId: 'mi-client' });
  });

  it('when BOT_TENANT_ID is set, then it is the bot tenant', () => {
    expect(loadConfig({ ...base, MANAGED_IDENTITY_CLIENT_ID: 'mi', BOT_TENANT_ID: 'bot-tenant' }).bot.tenantId).toBe('bot-tenant');
  });

  it('when the bot has a password, then the password wins and the identity is not used for the bot', () => {
    const config = loadConfig({ ...base, CLIENT_SECRET: 's', BOT_PASSWORD: 'bp' });
    expect(config.bot).toEqual({ id: 'bot-app', password: 'bp', tenantId: 'tenant-1' });
  });

  it('when production has a Graph secret and the bot neither a password nor an identity, then it is refused', () => {
    expect(() => loadConfig({ ...base, CLIENT_SECRET: 's' })).toThrow(/BOT_ID and BOT_PASSWORD are required in production \(or, instead of BOT_PASSWORD, MANAGED_IDENTITY_CLIENT_ID/);
  });
});

describe('the production gateway across consent', () => {
  it('when consent is granted after a token was issued, then the next run reads with the new roles, not the cached token', async () => {
    const simulator = await startSimulator({ tenant: tinyTenant() });
    try {
      const gateway = createProductionGateway(
        loadConfig({
          ...base,
          TENANT_ID: simulator.tenantId,
          CLIENT_ID: DEMO_CLIENT.clientId,
          CLIENT_SECRET: DEMO_CLIENT.clientSecret,
          BOT_PASSWORD: 'bp',
          GRAPH_BASE_URL: simulator.graphBaseUrl,
          AUTHORITY_HOST: simulator.url,
        }),
      );
      const mailbox = 'alice@contoso.com';
      // Before consent the token carries no role: the directory is refused.
      await expect(gateway.newSource().resolveMailboxes([mailbox])).rejects.toThrow(/403|Authorization_RequestDenied|consent/i);
      simulator.consent.grant();
      // The consent callback checks the roles (consent-service), which renews the credential.
      expect(await gateway.grantedRoles()).toEqual(expect.arrayContaining(['User.Read.All']));
      await expect(gateway.newSource().resolveMailboxes([mailbox])).resolves.toMatchObject({ mailboxes: [expect.anything()] });
    } finally {
      await simulator.close();
    }
  });
});
