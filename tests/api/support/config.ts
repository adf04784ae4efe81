import type { AppConfig } from '../../../api/src/config';
import { ADMIN_OID, SSO_AUDIENCE, TENANT } from './tokens';

export function demoConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    mode: 'demo',
    port: 0,
    dataDir: '/nonexistent',
    graph: { baseUrl: 'http://127.0.0.1:1/v1.0', authorityHost: 'http://127.0.0.1:1', concurrency: 4 },
    bot: {},
    auth: { adminObjectIds: [], adminAppRole: 'Rapport.Admin' },
    teamsAppId: '00000000-0000-0000-0000-00000000a11c',
    firstRunDelayHours: 6,
    demoSize: { mailboxes: 36, accounts: 300 },
    logLevel: 'silent',
    logFormat: 'json',
    ...overrides,
  };
}

export function productionConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return demoConfig({
    mode: 'production',
    graph: { baseUrl: 'https://graph.microsoft.com/v1.0', authorityHost: 'https://login.microsoftonline.com', tenantId: TENANT, clientId: 'c', clientSecret: 's', concurrency: 4 },
    auth: { ssoAudience: SSO_AUDIENCE, adminObjectIds: [ADMIN_OID], adminAppRole: 'Rapport.Admin' },
    publicUrl: 'https://rapport.example.com',
    ...overrides,
  });
}
