/**
 * App-only credentials for Microsoft Graph, and the check of the granted permissions.
 */
import {
  type AccessToken,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  type GetTokenOptions,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { AppError } from '../errors';

/** Public cloud authority. National clouds use e.g. https://login.microsoftonline.us. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

interface CredentialBase {
  tenantId: string;
  clientId: string;
  /**
   * The Entra authority, without the tenant. An `http://` authority is accepted for loopback
   * hosts only (the local Graph simulator). @default https://login.microsoftonline.com
   */
  authorityHost?: string;
}
export interface ClientSecretConfig extends CredentialBase {
  clientSecret: string;
}
export interface ClientCertificateConfig extends CredentialBase {
  /** A PEM file holding the certificate and its private key. */
  certificatePath: string;
  certificatePassword?: string;
}
/**
 * Workload identity federation: the Entra app trusts a user-assigned managed identity (a
 * federated identity credential on the app, audience `api://AzureADTokenExchange`), so the app
 * authenticates with the identity's token as a client assertion and no secret exists.
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 */
export interface FederatedIdentityConfig extends CredentialBase {
  /** Client id of the user-assigned managed identity the app's federated credential trusts. */
  managedIdentityClientId: string;
  /** Issues the identity's exchange token; tests inject a fake. @default ManagedIdentityCredential for managedIdentityClientId */
  managedIdentity?: TokenCredential;
}
export type CredentialConfig = ClientSecretConfig | ClientCertificateConfig | FederatedIdentityConfig;

/** The scope of the managed-identity token that Entra accepts as a federated client assertion. */
export const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

/**
 * The client assertion of the federated path: a fresh managed-identity token for the token
 * exchange audience. ManagedIdentityCredential caches it, so this costs a request only when it
 * is near expiry.
 */
export function managedIdentityAssertion(managedIdentity: TokenCredential): () => Promise<string> {
  return async () => {
    const token = await managedIdentity.getToken(TOKEN_EXCHANGE_SCOPE);
    if (!token) {
      throw new AppError('GRAPH_ACCESS_DENIED', 'The managed identity returned no token for api://AzureADTokenExchange: is it assigned to this web app?', {
        graphCode: 'NoManagedIdentityToken',
        status: null,
      });
    }
    return token.token;
  };
}

/**
 * The production credential, bound to the configured authority (national clouds):
 * `ClientAssertionCredential` fed by a managed identity (federated, no secret),
 * `ClientSecretCredential` or `ClientCertificateCredential` from `@azure/identity`.
 *
 * MSAL, underneath `@azure/identity`, refuses an `http://` authority. The local simulator is
 * served over plain http on 127.0.0.1, so for a loopback http authority this returns an
 * `OAuthClientCredential`, which does the same client-credentials exchange by hand. A secret
 * is never sent over plain http to any other host.
 */
export function createCredential(config: CredentialConfig): TokenCredential {
  const authorityHost = trimSlash(config.authorityHost ?? DEFAULT_AUTHORITY_HOST);
  const url = parseUrl(authorityHost, 'authorityHost');
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) {
      throw new AppError('CONFIG_INVALID', `The authority ${authorityHost} must use https (plain http is only allowed on a loopback address).`, { authorityHost });
    }
    if (!('clientSecret' in config)) {
      throw new AppError('CONFIG_INVALID', 'A plain-http (simulator) authority needs a client secret, not a certificate or a managed identity.', { authorityHost });
    }
    return new OAuthClientCredential({ ...config, authorityHost });
  }
  if ('managedIdentityClientId' in config) {
    const managedIdentity = config.managedIdentity ?? new ManagedIdentityCredential({ clientId: config.managedIdentityClientId });
    return new ClientAssertionCredential(config.tenantId, config.clientId, managedIdentityAssertion(managedIdentity), { authorityHost });
  }
  if ('clientSecret' in config) {
    return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, { authorityHost });
  }
  return new ClientCertificateCredential(
    config.tenantId,
    config.clientId,
    { certificatePath: config.certificatePath, ...(config.certificatePassword === undefined ? {} : { certificatePassword: config.certificatePassword }) },
    { authorityHost },
  );
}

export interface OAuthClientCredentialOptions extends ClientSecretConfig {
  authorityHost: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** A cached token is renewed this long before it expires. @default 300000 (5 minutes) */
  refreshMarginMs?: number;
}

/**
 * A `TokenCredential` doing the OAuth 2.0 client-credentials grant by hand: a form-encoded
 * POST to `{authorityHost}/{tenantId}/oauth2/v2.0/token`. Tokens are cached per scope set
 * until `refreshMarginMs` before they expire, and concurrent callers share one exchange.
 *
 * It exists because MSAL refuses `http://` authorities and the local simulator's token
 * endpoint is plain http on 127.0.0.1; production uses `createCredential`'s MSAL-backed
 * credentials.
 */
export class OAuthClientCredential implements TokenCredential {
  private readonly tokenUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly cache = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(private readonly options: OAuthClientCredentialOptions) {
    this.tokenUrl = `${trimSlash(options.authorityHost)}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
  }

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(' ');
    const cached = this.cache.get(scope);
    if (cached && this.now() < cached.expiresOnTimestamp - this.refreshMarginMs) return cached;
    let inFlight = this.pending.get(scope);
    if (!inFlight) {
      inFlight = this.exchange(scope).finally(() => this.pending.delete(scope));
      this.pending.set(scope, inFlight);
    }
    return inFlight;
  }

  private async exchange(scope: string): Promise<AccessToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope,
    });
    const requestedAt = this.now();
    // A network failure propagates as the fetch TypeError, so the Graph retry policy retries it.
    const response = await this.fetchImpl(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
    const text = await response.text();
    const json = parseJsonObject(text);
    if (!response.ok || typeof json?.access_token !== 'string') {
      const oauthError = typeof json?.error === 'string' ? json.error : `HTTP${response.status}`;
      // 4xx from the token endpoint means bad credentials or no consent; retrying will not help.
      const code = response.status >= 400 && response.status < 500 ? 'GRAPH_ACCESS_DENIED' : 'GRAPH_REQUEST_FAILED';
      throw new AppError(code, `The token request to ${this.tokenUrl} failed: ${oauthError}.`, {
        graphCode: oauthError,
        status: response.status,
      });
    }
    const expiresIn = Number(json.expires_in);
    const token: AccessToken = {
      token: json.access_token,
      // Measured from before the request, so the cache never outlives the real token.
      expiresOnTimestamp: requestedAt + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
      tokenType: 'Bearer',
    };
    this.cache.set(scope, token);
    return token;
  }
}

/**
 * The application permissions Rapport needs (least privilege, DESIGN.md §5), each with the
 * broader permissions that also grant it.
 */
export const REQUIRED_PERMISSIONS = [
  { permission: 'Mail.ReadBasic.All', satisfiedBy: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'] },
  { permission: 'Calendars.ReadBasic.All', satisfiedBy: ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'] },
  { permission: 'User.Read.All', satisfiedBy: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  {
    permission: 'GroupMember.Read.All',
    satisfiedBy: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  },
] as const;

export type RequiredPermission = (typeof REQUIRED_PERMISSIONS)[number]['permission'];

/**
 * The `roles` claim of an app access token. The token is decoded, not verified: it is our own,
 * fresh from the token endpoint, and only used to tell the admin what is missing.
 * A token that is not a JWT is reported as VALIDATION_FAILED.
 */
export function rolesOf(accessToken: string): string[] {
  const parts = accessToken.split('.');
  const payload = parts.length === 3 ? parseJsonObject(decodeBase64Url(parts[1]!)) : undefined;
  if (!payload) throw new AppError('VALIDATION_FAILED', 'The access token is not a JWT, so its roles cannot be read.');
  const roles = payload.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

/** The required permissions that `roles` does not grant, in the order of REQUIRED_PERMISSIONS. */
export function missingPermissions(roles: readonly string[]): RequiredPermission[] {
  const granted = new Set(roles);
  return REQUIRED_PERMISSIONS.filter((p) => !p.satisfiedBy.some((r) => granted.has(r))).map((p) => p.permission);
}

/** The roles granted to the app: those of a token freshly issued for the Graph behind `baseUrl`. */
export async function grantedRoles(credential: TokenCredential, baseUrl: string): Promise<string[]> {
  const token = await credential.getToken(graphScope(baseUrl));
  if (!token) throw new AppError('GRAPH_ACCESS_DENIED', 'No access token could be obtained for Microsoft Graph.', { graphCode: 'NoToken', status: null });
  return rolesOf(token.token);
}

/**
 * The `.default` scope of the Graph resource behind `baseUrl`, e.g. https://graph.microsoft.us/.default
 * for a national cloud. A loopback base URL (the simulator) stands in for public Graph, so it
 * asks for https://graph.microsoft.com/.default, as the simulator's token endpoint expects.
 */
export function graphScope(baseUrl: string): string {
  const url = parseUrl(baseUrl, 'baseUrl');
  return isLoopback(url.hostname) ? 'https://graph.microsoft.com/.default' : `${url.origin}/.default`;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function decodeBase64Url(s: string): string {
  return Buffer.from(s, 'base64url').toString('utf8');
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseUrl(value: string, name: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new AppError('CONFIG_INVALID', `${name} is not a valid URL: ${value}`, { [name]: value });
  }
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
