#!/usr/bin/env node
// Makes Rapport's Entra apps (the Graph/SSO app and the bot app) trust the web app's
// user-assigned managed identity: one federated identity credential per app, issuer the
// tenant's Entra authority, subject the identity's principal (object) id, audience
// api://AzureADTokenExchange. Then the apps authenticate with the identity's token and need no
// secret. ARM (Bicep) cannot create Entra objects for apps the toolkit created, so
// m365agents.yml runs this after arm/deploy. It upserts, so running it again changes nothing.
//
//   node infra/scripts/federate-apps.mjs --tenant <tenant id> --principal <identity principal id> \
//     --app <client id> [--app <client id> ...] [--authority https://login.microsoftonline.com] \
//     [--graph https://graph.microsoft.com] [--dry-run]
//
// Needs the Azure CLI signed in to the tenant (`az login --tenant <tenant id>`) as an owner of
// both apps or an Application Administrator / Cloud Application Administrator.
// https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
// https://learn.microsoft.com/graph/api/federatedidentitycredential-upsert
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const CREDENTIAL_NAME = 'rapport-web-app-identity';
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** The federated identity credential that trusts the managed identity `principalId` of `tenantId`. */
export function federatedCredential({ authority = 'https://login.microsoftonline.com', tenantId, principalId }) {
  return {
    name: CREDENTIAL_NAME,
    issuer: `${authority.replace(/\/+$/, '')}/${tenantId}/v2.0`,
    subject: principalId,
    audiences: [TOKEN_EXCHANGE_AUDIENCE],
    description: 'Rapport web app: its user-assigned managed identity signs in as this app (no secret).',
  };
}

/** The Graph upsert URL of that credential on the app with client id `appId`. */
export function upsertUrl(graph, appId) {
  return `${graph.replace(/\/+$/, '')}/v1.0/applications(appId='${appId}')/federatedIdentityCredentials(name='${CREDENTIAL_NAME}')`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseArgs(argv) {
  const options = { apps: [], authority: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com', dryRun: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--dry-run') options.dryRun = true;
    else if (['--tenant', '--principal', '--app', '--authority', '--graph'].includes(flag) && value !== undefined) {
      if (flag === '--app') options.apps.push(value);
      else options[flag.slice(2) === 'tenant' ? 'tenantId' : flag.slice(2) === 'principal' ? 'principalId' : flag.slice(2)] = value;
      i += 1;
    } else throw new Error(`Unknown or incomplete argument: ${flag}`);
  }
  const problems = [];
  if (!GUID.test(options.tenantId ?? '')) problems.push('--tenant must be the tenant id (a GUID)');
  if (!GUID.test(options.principalId ?? '')) problems.push('--principal must be the managed identity\'s principal (object) id, a GUID: the MANAGED_IDENTITY_PRINCIPAL_ID output of infra/azure.bicep');
  if (options.apps.length === 0 || options.apps.some((a) => !GUID.test(a))) problems.push('--app must be given once per Entra app, each a client id (GUID)');
  if (problems.length > 0) throw new Error(problems.join('; '));
  return options;
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`federate-apps: ${e.message}`);
    process.exit(2);
  }
  const body = federatedCredential(options);
  for (const appId of options.apps) {
    const url = upsertUrl(options.graph, appId);
    if (options.dryRun) {
      console.log(`PATCH ${url}\n${JSON.stringify(body)}`);
      continue;
    }
    try {
      execFileSync('az', ['rest', '--method', 'patch', '--url', url, '--headers', 'Content-Type=application/json', '--body', JSON.stringify(body)], {
        stdio: ['ignore', 'inherit', 'inherit'],
        shell: process.platform === 'win32',
      });
      console.log(`federate-apps: app ${appId} trusts managed identity ${options.principalId}`);
    } catch {
      console.error(
        `federate-apps: could not add the federated credential to app ${appId}. Sign in with \`az login --tenant ${options.tenantId}\` as an owner of the app or an Application Administrator, then run provision again.`,
      );
      process.exit(1);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
