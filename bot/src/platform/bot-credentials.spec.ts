// The SDK's token manager is not part of its public index; it is what `App` builds from these
// options, so the test asks it directly which credential it settled on (pinned SDK 2.1.0).
import { TokenManager } from '@microsoft/teams.apps/dist/token-manager';
import { BotConfigError } from '../errors';
import { botCredentialKind, sdkCredentials, type BotCredentialOptions } from './bot-credentials';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  trace: () => undefined,
  log: () => undefined,
  child() {
    return silent;
  },
};

/** The credentials the Teams SDK resolves from the options Rapport passes it. */
function resolvedBySdk(auth: BotCredentialOptions): unknown {
  return (new TokenManager(sdkCredentials(auth), silent as never) as unknown as { credentials: unknown }).credentials;
}

describe('bot credentials', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // Rapport's Graph app settings share the names the SDK falls back to: it must never read them.
    Object.assign(process.env, { CLIENT_ID: 'graph-app', CLIENT_SECRET: 'graph-s3cret', TENANT_ID: 'graph-tenant', MANAGED_IDENTITY_CLIENT_ID: 'env-mi' });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each<[string, BotCredentialOptions, string]>([
    ['a password', { botId: 'bot', botPassword: 'pw', tenantId: 't', production: true }, 'secret'],
    ['a managed identity and no password', { botId: 'bot', managedIdentityClientId: 'mi', tenantId: 't', production: true }, 'federated'],
    ['a password and a managed identity (the password wins)', { botId: 'bot', botPassword: 'pw', managedIdentityClientId: 'mi', tenantId: 't', production: true }, 'secret'],
    ['nothing, in demo mode', { production: false }, 'anonymous'],
  ])('when the bot has %s, then the credential is %s', (_name, auth, kind) => {
    expect(botCredentialKind(auth)).toBe(kind);
  });

  it.each<[string, BotCredentialOptions, RegExp]>([
    ['no bot id in production', { production: true }, /BOT_ID/],
    ['a bot id without password or identity in production', { botId: 'bot', tenantId: 't', production: true }, /BOT_PASSWORD.*MANAGED_IDENTITY_CLIENT_ID/],
    ['a bot id without password in demo mode', { botId: 'bot', production: false }, /BOT_ID is set without BOT_PASSWORD/],
    ['a federated bot without a tenant', { botId: 'bot', managedIdentityClientId: 'mi', production: true }, /BOT_TENANT_ID/],
    ['the identity as its own bot id', { botId: 'ABC', managedIdentityClientId: 'abc', tenantId: 't', production: true }, /equals BOT_ID/],
  ])('when the options have %s, then start-up is refused with words', (_name, auth, message) => {
    expect(() => botCredentialKind(auth)).toThrow(BotConfigError);
    expect(() => botCredentialKind(auth)).toThrow(message);
  });

  it('when the bot is federated, then the SDK uses the managed identity as a federated credential for the single-tenant bot app, and no secret', () => {
    expect(resolvedBySdk({ botId: 'bot-app', managedIdentityClientId: 'mi-client', tenantId: 'bot-tenant', production: true })).toEqual({
      clientId: 'bot-app',
      tenantId: 'bot-tenant',
      managedIdentityClientId: 'mi-client',
      managedIdentityType: 'user',
    });
  });

  it('when the bot has a password, then the SDK uses it, never the Graph secret from the environment', () => {
    expect(resolvedBySdk({ botId: 'bot-app', botPassword: 'bot-pw', tenantId: 'bot-tenant', production: true })).toEqual({
      clientId: 'bot-app',
      clientSecret: 'bot-pw',
      tenantId: 'bot-tenant',
    });
  });

  it('when the demo bot is anonymous, then the SDK has no credential at all, whatever the environment holds', () => {
    expect(resolvedBySdk({ production: false })).toBeUndefined();
  });
});
