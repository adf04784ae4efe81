/**
 * infra/ as text: the Bicep template declares every resource issue 15 names, the web app's
 * settings keep no secret in clear, and the toolkit project is the secretless Agents Toolkit
 * form. No Bicep compiler runs here (none is available offline); this reads the source.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const bicep = read('infra/azure.bicep');

/** `resource <symbol> '<type>@<version>'` declarations: symbol → type. */
const resources = new Map([...bicep.matchAll(/^resource (\w+) '([^'@]+)@[^']+'/gm)].map((m) => [m[1]!, m[2]!]));
/** The body of resource `symbol`, up to the next top-level declaration. */
function body(symbol: string): string {
  const start = bicep.search(new RegExp(`^resource ${symbol} `, 'm'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = bicep.slice(start + 1);
  const end = rest.search(/^(resource|var|param|output|module) /m);
  return rest.slice(0, end < 0 ? undefined : end);
}
/** Every `{ name: 'X', value: <expr> }` app setting, whatever list it is in. */
const settings = new Map([...bicep.matchAll(/\{ name: '([A-Z0-9_]+)', value: (.+?) \}/g)].map((m) => [m[1]!, m[2]!.trim()]));
const variables = new Map([...bicep.matchAll(/^var (\w+) = (.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));

describe('infra/azure.bicep', () => {
  it.each([
    ['the App Service plan', 'Microsoft.Web/serverfarms'],
    ['the Linux web app', 'Microsoft.Web/sites'],
    ['the user-assigned managed identity', 'Microsoft.ManagedIdentity/userAssignedIdentities'],
    ['the Azure Bot', 'Microsoft.BotService/botServices'],
    ['its Teams channel', 'Microsoft.BotService/botServices/channels'],
    ['Key Vault', 'Microsoft.KeyVault/vaults'],
    ['Application Insights', 'Microsoft.Insights/components'],
    ['the Log Analytics workspace', 'Microsoft.OperationalInsights/workspaces'],
    ['the storage account', 'Microsoft.Storage/storageAccounts'],
    ['its queues', 'Microsoft.Storage/storageAccounts/queueServices'],
    ['its blobs', 'Microsoft.Storage/storageAccounts/blobServices'],
    ['the data store share', 'Microsoft.Storage/storageAccounts/fileServices/shares'],
    ['role assignments', 'Microsoft.Authorization/roleAssignments'],
  ])('declares %s (%s)', (_name, type) => {
    expect([...resources.values()]).toContain(type);
  });

  it('runs the web app on Node 24 LTS with the managed identity, which also resolves the Key Vault references', () => {
    const site = body('webApp');
    expect(site).toContain("linuxFxVersion: 'NODE|24-lts'");
    expect(site).toMatch(/type: 'UserAssigned'/);
    expect(site).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  });

  it('registers a single-tenant bot with the Teams channel', () => {
    expect(body('bot')).toMatch(/msaAppType: 'SingleTenant'/);
    expect(body('bot')).toMatch(/msaAppTenantId: botTenantId/);
    expect(body('teamsChannel')).toMatch(/channelName: 'MsTeamsChannel'/);
  });

  it('uses an RBAC Key Vault and grants the identity Secrets User, Blob and Queue Data Contributor', () => {
    expect(body('keyVault')).toMatch(/enableRbacAuthorization: true/);
    const granted = [...resources].filter(([, type]) => type === 'Microsoft.Authorization/roleAssignments').map(([symbol]) => body(symbol));
    for (const role of ['keyVaultSecretsUser', 'storageBlobDataContributor', 'storageQueueDataContributor']) {
      expect(granted.some((b) => b.includes(`roles.${role}`) && b.includes('identity.properties.principalId'))).toBe(true);
    }
    expect(bicep).toContain("keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'");
    expect(bicep).toContain("storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'");
    expect(bicep).toContain("storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'");
  });

  it('sets the federated Graph credential, telemetry and the data store in the app settings, and no Graph secret at all', () => {
    expect(settings.get('MANAGED_IDENTITY_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe('appInsights.properties.ConnectionString');
    expect(settings.get('DATA_DIR')).toBe('dataMountPath');
    expect(bicep).not.toMatch(/CLIENT_SECRET|CLIENT_CERTIFICATE_PATH/);
  });

  it('references Key Vault for every secret that remains in the app settings', () => {
    const secretLike = [...settings.keys()].filter((name) => /SECRET|PASSWORD|CONNECTION_STRING|KEY$/.test(name) && name !== 'APPLICATIONINSIGHTS_CONNECTION_STRING');
    expect(secretLike.sort()).toEqual(['AZURE_STORAGE_CONNECTION_STRING', 'BOT_PASSWORD']);
    for (const name of secretLike) {
      const value = settings.get(name)!;
      const resolved = variables.get(value) ?? value;
      expect(resolved).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{[^}]+\}[^']*\)'$/);
    }
  });

  it('keeps every @secure() parameter out of the app settings except through a Key Vault secret', () => {
    const secureParams = [...bicep.matchAll(/@secure\(\)\n(?:@description\([^\n]*\)\n)?param (\w+)/g)].map((m) => m[1]!);
    expect(secureParams).toEqual(['botAppPassword']);
    for (const param of secureParams) {
      const uses = [...bicep.matchAll(new RegExp(`\\b${param}\\b`, 'g'))].map((m) => bicep.slice(Math.max(0, bicep.lastIndexOf('\n', m.index!) + 1), bicep.indexOf('\n', m.index!)));
      // Declared, tested for emptiness, or stored as a Key Vault secret's value: nothing else.
      for (const line of uses) expect(line).toMatch(/^param |empty\(botAppPassword\)|properties: \{ value: botAppPassword \}/);
    }
  });
});

describe('the Microsoft 365 Agents Toolkit project', () => {
  const remote = read('m365agents.yml');
  const local = read('m365agents.local.yml');

  it('replaces the older teamsapp.yml form', () => {
    expect(existsSync(path.join(root, 'teamsapp.yml'))).toBe(false);
    expect(existsSync(path.join(root, 'teamsapp.local.yml'))).toBe(false);
    for (const file of [remote, local]) {
      const schema = /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/(v1\.\d+)\/yaml\.schema\.json$/m.exec(file);
      expect(schema).not.toBeNull();
      expect(file).toMatch(new RegExp(`^version: ${schema![1]!.replace('.', '\\.')}$`, 'm'));
    }
  });

  it('creates no secret for the remote environment, deploys infra/azure.bicep and federates both apps', () => {
    expect(remote).not.toMatch(/generateClientSecret: true|SECRET_|botAadApp\/create|bicepCliVersion: v0\.9/);
    expect(remote).toContain('path: ./infra/azure.bicep');
    expect(remote).toMatch(/federate-apps\.mjs .*--app \$\{\{AAD_APP_CLIENT_ID\}\} --app \$\{\{BOT_ID\}\}/);
  });

  it('debugs locally (F5) through a dev tunnel into the local environment', () => {
    const tasks = read('.vscode/tasks.json');
    expect(tasks).toMatch(/"type": "dev-tunnel"/);
    expect(tasks).toMatch(/"env": "local"/);
    expect(local).toContain('BOT_TENANT_ID: ${{BOT_TENANT_ID}}');
  });

  it('builds the federated credential the Entra docs describe: tenant issuer, identity principal subject, token-exchange audience', () => {
    const run = spawnSync(
      process.execPath,
      ['infra/scripts/federate-apps.mjs', '--tenant', '11111111-1111-1111-1111-111111111111', '--principal', '22222222-2222-2222-2222-222222222222', '--app', '33333333-3333-3333-3333-333333333333', '--dry-run'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    const [request, json] = run.stdout.trim().split('\n');
    expect(request).toBe("PATCH https://graph.microsoft.com/v1.0/applications(appId='33333333-3333-3333-3333-333333333333')/federatedIdentityCredentials(name='rapport-web-app-identity')");
    expect(JSON.parse(json!)).toMatchObject({
      issuer: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
      subject: '22222222-2222-2222-2222-222222222222',
      audiences: ['api://AzureADTokenExchange'],
    });
    const bad = spawnSync(process.execPath, ['infra/scripts/federate-apps.mjs', '--tenant', 'contoso'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--tenant must be the tenant id/);
  });
});
