/** Graph access: the real `ActivitySource`, its client, credentials and limits. */
export { GraphActivitySource, createGraphActivitySource } from './graph-activity-source';
export type { GraphActivitySourceDeps, GraphActivitySourceOptions, GraphSourceLogEntry } from './graph-activity-source';
export { GraphClient, createGraphClient, DEFAULT_GRAPH_BASE_URL } from './client';
export type { GraphClientOptions, QueryParams } from './client';
export { ConcurrencyLimiter } from './limiter';
export type { ConcurrencyLimiterOptions } from './limiter';
export {
  createCredential,
  OAuthClientCredential,
  rolesOf,
  missingPermissions,
  grantedRoles,
  graphScope,
  REQUIRED_PERMISSIONS,
  DEFAULT_AUTHORITY_HOST,
} from './credentials';
export type { CredentialConfig, ClientSecretConfig, ClientCertificateConfig, OAuthClientCredentialOptions, RequiredPermission } from './credentials';
export { DEFAULT_RETRY_POLICY } from './retry';
export type { RetryPolicy, GraphRetryEvent } from './retry';
export { MESSAGE_FIELDS, EVENT_FIELDS, FORBIDDEN_FIELDS } from './select';
export { graphCodeOf, graphStatusOf } from './graph-errors';
