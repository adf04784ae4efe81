/**
 * Builds the TenantGateway: production talks to Entra ID and Microsoft Graph with
 * @azure/identity credentials (federated managed identity, certificate or secret); demo mode talks to the embedded simulator over HTTP.
 */
import type { AppConfig } from '../config';
import { AppError } from '../errors';
import type { TenantGateway } from '../enrichment/ports';
import { createCredential, createGraphActivitySource, grantedRoles, OAuthClientCredential } from '../graph';
import type { CredentialConfig } from '../graph/credentials';
import type { RunningSimulator } from '../simulator';

export interface GatewayOptions {
  /** Global cap on concurrent Graph requests (sized for latency: docs/architecture.md). @default 64 */
  concurrency?: number;
  /** Retry waits are scaled in tests; production keeps Graph's own Retry-After. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The Graph credential the configuration chose (config.ts allows exactly one): the federated
 * managed identity, a certificate or a secret. The federated choice carries no secret at all.
 */
export function graphCredentialConfig(config: AppConfig): CredentialConfig {
  const { tenantId, clientId, clientSecret, certificatePath, managedIdentityClientId, authorityHost } = config.graph;
  if (!tenantId || !clientId || !(clientSecret || certificatePath || managedIdentityClientId)) {
    throw new AppError('CONFIG_INVALID', 'Production mode needs TENANT_ID, CLIENT_ID and one of MANAGED_IDENTITY_CLIENT_ID, CLIENT_CERTIFICATE_PATH or CLIENT_SECRET.');
  }
  if (managedIdentityClientId) return { tenantId, clientId, managedIdentityClientId, authorityHost };
  if (certificatePath) return { tenantId, clientId, certificatePath, authorityHost };
  return { tenantId, clientId, clientSecret: clientSecret!, authorityHost };
}

export function createProductionGateway(config: AppConfig, options: GatewayOptions = {}): TenantGateway {
  const { authorityHost, baseUrl } = config.graph;
  const credentialConfig = graphCredentialConfig(config);
  let credential = createCredential(credentialConfig);
  return {
    mode: 'production',
    tenantId: credentialConfig.tenantId,
    clientId: credentialConfig.clientId,
    authorityHost,
    newSource: () =>
      createGraphActivitySource({
        credential,
        baseUrl,
        limits: { global: options.concurrency ?? config.graph.concurrency },
        ...(options.sleep ? { sleep: options.sleep } : {}),
      }),
    // A new credential: a cached token would still carry the roles from before consent. The runs
    // take it over, or a run started right after consent would be refused with the old token's
    // roles until that token expired (up to an hour).
    grantedRoles: async () => {
      const fresh = createCredential(credentialConfig);
      const roles = await grantedRoles(fresh, baseUrl);
      credential = fresh;
      return roles;
    },
  };
}

export function createSimulatorGateway(simulator: RunningSimulator, options: GatewayOptions = {}): TenantGateway {
  const client = simulator.clients[0];
  if (!client) throw new AppError('INTERNAL', 'The simulator has no OAuth client configured.');
  const credentialOptions = {
    tenantId: simulator.tenantId,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    authorityHost: simulator.url,
  };
  return {
    mode: 'demo',
    tenantId: simulator.tenantId,
    clientId: client.clientId,
    authorityHost: simulator.url,
    newSource: () =>
      createGraphActivitySource({
        credential: new OAuthClientCredential(credentialOptions),
        baseUrl: simulator.graphBaseUrl,
        limits: { global: options.concurrency ?? 64 },
        ...(options.sleep ? { sleep: options.sleep } : {}),
      }),
    grantedRoles: () => grantedRoles(new OAuthClientCredential(credentialOptions), simulator.graphBaseUrl),
    simulateAdminConsent: async (consentUrl, decision) => {
      // Loads the consent page as a browser would, then submits the admin's choice.
      const url = new URL(consentUrl);
      const page = await fetch(url);
      if (!page.ok) throw new AppError('CONSENT_DENIED', `The consent page answered ${page.status}: ${(await page.text()).slice(0, 200)}`);
      const form = new URLSearchParams({
        decision,
        client_id: url.searchParams.get('client_id') ?? '',
        redirect_uri: url.searchParams.get('redirect_uri') ?? '',
        state: url.searchParams.get('state') ?? '',
      });
      const answer = await fetch(`${simulator.url}/${simulator.tenantId}/adminconsent/decision`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      const location = answer.headers.get('location');
      if (answer.status !== 302 || !location) throw new AppError('CONSENT_DENIED', `The consent page did not redirect (status ${answer.status}).`);
      return location;
    },
  };
}
