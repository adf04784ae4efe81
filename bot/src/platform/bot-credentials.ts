/**
 * How the bot authenticates its outgoing calls (replies, proactive messages) with the Teams SDK
 * 2.1: a client secret, or secretless through a federated identity credential on the bot's
 * single-tenant Entra app that trusts the web app's user-assigned managed identity. The SDK's
 * token manager does the exchange itself when it gets `managedIdentityClientId` and no secret
 * (`@microsoft/teams.apps` token-manager: a managed-identity token for
 * `api://AzureADTokenExchange` becomes the client assertion).
 */
import { BotConfigError } from '../errors';

export interface BotCredentialOptions {
  /** The bot's Microsoft App ID (its Entra app registration). */
  botId?: string;
  /** The bot's client secret. Without it, `managedIdentityClientId` is the credential. */
  botPassword?: string;
  /** Client id of the user-assigned managed identity the bot app's federated credential trusts. */
  managedIdentityClientId?: string;
  /** The tenant of the single-tenant bot registration. */
  tenantId?: string;
  production: boolean;
}

/** The credential part of the SDK's `AppOptions`. */
export interface SdkCredentials {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  managedIdentityClientId?: string;
}

export type BotCredentialKind = 'secret' | 'federated' | 'anonymous';

/** Which credential the options select; refuses a half-configured bot, at start. */
export function botCredentialKind(auth: BotCredentialOptions): BotCredentialKind {
  if (auth.production && !auth.botId) {
    throw new BotConfigError('The bot needs its app id (BOT_ID) in production, with BOT_PASSWORD or a federated managed identity (MANAGED_IDENTITY_CLIENT_ID).');
  }
  if (!auth.botId) return 'anonymous';
  if (auth.botPassword) return 'secret';
  if (auth.managedIdentityClientId) {
    if (auth.managedIdentityClientId.toLowerCase() === auth.botId.toLowerCase()) {
      // The SDK would then authenticate as the identity itself (a UserAssignedMSI bot), not as
      // the single-tenant app registration the Azure Bot resource names.
      throw new BotConfigError('MANAGED_IDENTITY_CLIENT_ID equals BOT_ID: the bot is a single-tenant app registration; set BOT_ID to its client id, not the identity\'s.');
    }
    if (!auth.tenantId) throw new BotConfigError('A federated bot credential needs the bot tenant (BOT_TENANT_ID or TENANT_ID): the bot is single-tenant.');
    return 'federated';
  }
  throw new BotConfigError(
    auth.production
      ? 'The bot needs its app id and password (BOT_ID, BOT_PASSWORD) in production, or MANAGED_IDENTITY_CLIENT_ID with a federated credential on the bot app.'
      : 'BOT_ID is set without BOT_PASSWORD: set both, or neither for the anonymous demo bot.',
  );
}

/**
 * The SDK credentials, always explicit: left undefined, the SDK would read CLIENT_ID,
 * CLIENT_SECRET, TENANT_ID and MANAGED_IDENTITY_CLIENT_ID from the environment, which are
 * Rapport's Graph app, not the bot. An empty secret plus `managedIdentityClientId` selects the
 * SDK's federated path; an empty client id (the anonymous demo bot) selects no credential.
 */
export function sdkCredentials(auth: BotCredentialOptions): SdkCredentials {
  const kind = botCredentialKind(auth);
  const common = { clientId: auth.botId ?? '', tenantId: auth.tenantId ?? '' };
  switch (kind) {
    case 'secret':
      return { ...common, clientSecret: auth.botPassword! };
    case 'federated':
      return { ...common, clientSecret: '', managedIdentityClientId: auth.managedIdentityClientId! };
    case 'anonymous':
      return { ...common, clientSecret: '' };
  }
}
