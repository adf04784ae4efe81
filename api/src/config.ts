/**
 * Configuration, validated once at start. Nothing else reads `process.env`.
 * With no Entra credentials set, Rapport runs in demo mode against the embedded simulator.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors';

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /**
   * Interface to listen on. @default 127.0.0.1 in demo mode (its API acts as an admin for any
   * caller, so it stays on this machine), all interfaces in production.
   */
  HOST: optionalString,
  /** Where lowdb keeps its files. @default ./.data */
  DATA_DIR: z.string().default('.data'),
  /** Graph base URL: the public cloud, a national cloud, or the simulator. */
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com/v1.0'),
  /** Entra authority host, e.g. https://login.microsoftonline.us for US Government. */
  AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
  TENANT_ID: optionalString,
  CLIENT_ID: optionalString,
  CLIENT_SECRET: optionalString,
  CLIENT_CERTIFICATE_PATH: optionalString,
  /**
   * Client id of the user-assigned managed identity. Without CLIENT_SECRET or
   * CLIENT_CERTIFICATE_PATH it is the Graph credential (workload identity federation: the Entra
   * app trusts the identity, no secret exists), and without BOT_PASSWORD the bot's too.
   */
  MANAGED_IDENTITY_CLIENT_ID: optionalString,
  BOT_ID: optionalString,
  BOT_PASSWORD: optionalString,
  /** The tenant of the single-tenant bot registration. @default TENANT_ID */
  BOT_TENANT_ID: optionalString,
  /** Public HTTPS origin of the app, used in the consent redirect and deep links. */
  PUBLIC_URL: optionalString,
  /** Audience of Teams SSO tokens: api://<domain>/<client id>. */
  SSO_AUDIENCE: optionalString,
  /** Admins by Entra object id (comma-separated) and/or by app role. */
  ADMIN_OBJECT_IDS: csv,
  ADMIN_APP_ROLE: z.string().default('Rapport.Admin'),
  /** Teams app id, for deep links. */
  TEAMS_APP_ID: z.string().default('00000000-0000-0000-0000-00000000a11c'),
  /** Global cap on concurrent Graph requests (Graph also caps 4 per mailbox). */
  GRAPH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
  /** Hours between consent and the first scheduled run. @default 6 (demo mode: 0) */
  FIRST_RUN_DELAY_HOURS: z.coerce.number().min(0).max(168).optional(),
  /** Demo mode only: a fixture file or folder to serve instead of the generated demo tenant. */
  DEMO_TENANT: optionalString,
  /** Demo mode only: size of the generated tenant. @default 36 sellers, 300 accounts */
  DEMO_MAILBOXES: z.coerce.number().int().min(2).max(2500).default(36),
  DEMO_ACCOUNTS: z.coerce.number().int().min(1).max(100000).default(300),
  /**
   * Demo mode only: mailboxes the simulator fails, to see a partial run and its failures in words.
   * Comma-separated `<fault>:<address>`; faults: `mailbox-access-denied` (403 ErrorAccessDenied, a
   * mailbox outside the Exchange application access policy) and `mailbox-not-enabled` (404
   * MailboxNotEnabledForRESTAPI).
   */
  DEMO_FAULTS: csv,
  /** Uploaded datasets no configuration uses that are kept, newest first. @default 10 */
  DATASETS_KEEP_UNREFERENCED: z.coerce.number().int().min(1).max(1000).default(10),
  /** Disk the kept unreferenced datasets may take together, in MiB. @default 1024 */
  DATASETS_MAX_UNREFERENCED_MB: z.coerce.number().int().min(1).max(10_000_000).default(1024),
  /**
   * Azure Storage shared by the instances: the blob lease that elects one scheduler
   * (services/lease-blob.ts). A connection string (key, SAS or Azurite), or else the account
   * name reached with the managed identity (MANAGED_IDENTITY_CLIENT_ID, else AZURE_CLIENT_ID
   * through DefaultAzureCredential). Neither: a lock file under DATA_DIR.
   */
  AZURE_STORAGE_CONNECTION_STRING: optionalString,
  AZURE_STORAGE_ACCOUNT_NAME: optionalString,
  /** Application Insights: with it set, traces, metrics and correlated logs go to Azure Monitor (api/src/telemetry). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalString,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** `text`: one readable line per entry; `json`: one JSON object per line. @default text in demo mode, json otherwise */
  LOG_FORMAT: z.enum(['text', 'json']).optional(),
});

export type AppMode = 'demo' | 'production';

/** The simulator's per-mailbox faults (api/src/simulator/faults.ts) that DEMO_FAULTS can set. */
export interface DemoFaults {
  mailboxAccessDenied: string[];
  mailboxNotEnabled: string[];
}

const DEMO_FAULT_KINDS = { 'mailbox-access-denied': 'mailboxAccessDenied', 'mailbox-not-enabled': 'mailboxNotEnabled' } as const;

/** `mailbox-access-denied:a@x.com,mailbox-not-enabled:b@x.com` → the faults, or the entries it cannot read. */
export function parseDemoFaults(entries: string[]): { faults: DemoFaults; invalid: string[] } {
  const faults: DemoFaults = { mailboxAccessDenied: [], mailboxNotEnabled: [] };
  const invalid: string[] = [];
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const kind = entry.slice(0, at).trim() as keyof typeof DEMO_FAULT_KINDS;
    const address = entry.slice(at + 1).trim();
    if (at < 0 || !Object.hasOwn(DEMO_FAULT_KINDS, kind) || !address) invalid.push(entry);
    else faults[DEMO_FAULT_KINDS[kind]].push(address);
  }
  return { faults, invalid };
}

export interface AppConfig {
  mode: AppMode;
  port: number;
  /** Undefined: all interfaces (Node's default). */
  host?: string;
  dataDir: string;
  graph: {
    baseUrl: string;
    authorityHost: string;
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    certificatePath?: string;
    /** Set when the Graph credential is the federated managed identity (no secret, no certificate). */
    managedIdentityClientId?: string;
    concurrency: number;
  };
  /** Without `password`, a bot id with `managedIdentityClientId` authenticates through the federated managed identity. */
  bot: { id?: string; password?: string; tenantId?: string; managedIdentityClientId?: string };
  auth: { ssoAudience?: string; adminObjectIds: string[]; adminAppRole: string };
  publicUrl?: string;
  teamsAppId: string;
  firstRunDelayHours: number;
  demoTenant?: string;
  demoSize: { mailboxes: number; accounts: number };
  /** Demo mode only (DEMO_FAULTS): mailboxes the simulator fails; absent: none. */
  demoFaults?: DemoFaults;
  /** Pruning of unused uploads (services/dataset-prune.ts); absent: its defaults. */
  datasets?: { keepUnreferenced: number; maxUnreferencedBytes: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  logFormat: 'text' | 'json';
  /** Present when APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
  telemetry?: { connectionString: string };
  /** AZURE_STORAGE_CONNECTION_STRING, else AZURE_STORAGE_ACCOUNT_NAME with the managed identity; absent: neither is set. */
  storage?: { connectionString: string } | { accountName: string; managedIdentityClientId?: string };
}

/**
 * Reads and validates the environment; every problem is reported at once.
 * `purpose: 'graph'` (the headless command) needs only the Graph credentials, not the bot or SSO.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, purpose: 'server' | 'graph' = 'server'): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid environment: ${lines.join('; ')}`, { issues: lines });
  }
  const e = parsed.data;
  // Exactly one Graph credential: a secret, a certificate, or the federated managed identity.
  const graphCredentials = (['CLIENT_SECRET', 'CLIENT_CERTIFICATE_PATH', 'MANAGED_IDENTITY_CLIENT_ID'] as const).filter((k) => e[k]);
  const hasCredentials = Boolean(e.TENANT_ID && e.CLIENT_ID && graphCredentials.length > 0);
  const anyCredential = Boolean(e.TENANT_ID || e.CLIENT_ID || graphCredentials.length > 0);
  const mode: AppMode = hasCredentials ? 'production' : 'demo';
  const problems: string[] = [];
  if (anyCredential && !hasCredentials) {
    problems.push(
      'TENANT_ID, CLIENT_ID and one of CLIENT_SECRET, CLIENT_CERTIFICATE_PATH or MANAGED_IDENTITY_CLIENT_ID (federated, no secret) must be set together (or none of them, for demo mode)',
    );
  }
  if (graphCredentials.length > 1) {
    problems.push(
      `${graphCredentials.join(' and ')} are all set: set exactly one Graph credential (MANAGED_IDENTITY_CLIENT_ID alone means the federated credential; remove the secret or certificate once the app trusts the managed identity)`,
    );
  }
  const federated = hasCredentials && graphCredentials.length === 1 && graphCredentials[0] === 'MANAGED_IDENTITY_CLIENT_ID';
  if (mode === 'production' && purpose === 'server') {
    if (!e.BOT_ID || !(e.BOT_PASSWORD || e.MANAGED_IDENTITY_CLIENT_ID)) {
      problems.push('BOT_ID and BOT_PASSWORD are required in production (or, instead of BOT_PASSWORD, MANAGED_IDENTITY_CLIENT_ID with a federated credential on the bot app)');
    }
  }
  // Demo mode too: a bot id means its requests are authenticated, and replies need the password.
  if (mode === 'demo' && purpose === 'server' && Boolean(e.BOT_ID) !== Boolean(e.BOT_PASSWORD)) {
    problems.push('BOT_ID and BOT_PASSWORD must be set together (or neither, for the anonymous demo bot)');
  }
  if (mode === 'production' && purpose === 'server') {
    if (!e.SSO_AUDIENCE) problems.push('SSO_AUDIENCE is required in production (api://<domain>/<client id>)');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL is required in production (the https origin of the app)');
  }
  const demoFaults = parseDemoFaults(e.DEMO_FAULTS);
  if (demoFaults.invalid.length > 0) {
    problems.push(
      `DEMO_FAULTS: cannot read ${demoFaults.invalid.map((f) => `"${f}"`).join(', ')}; write <fault>:<mailbox address>, with fault ${Object.keys(DEMO_FAULT_KINDS).join(' or ')}`,
    );
  }
  if (mode === 'production' && e.DEMO_FAULTS.length > 0) problems.push('DEMO_FAULTS applies to demo mode only; remove it (Entra credentials are set, so this is production)');
  if (e.APPLICATIONINSIGHTS_CONNECTION_STRING && !/(^|;)\s*InstrumentationKey=/i.test(e.APPLICATIONINSIGHTS_CONNECTION_STRING)) {
    problems.push('APPLICATIONINSIGHTS_CONNECTION_STRING has no InstrumentationKey=…; copy the whole connection string from the Application Insights resource (Overview)');
  }
  if (e.AZURE_STORAGE_CONNECTION_STRING && !/(^|;)\s*(AccountName=|SharedAccessSignature=|UseDevelopmentStorage=true)/i.test(e.AZURE_STORAGE_CONNECTION_STRING)) {
    problems.push(
      'AZURE_STORAGE_CONNECTION_STRING is not a connection string (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…); copy it from the storage account\'s "Access keys" page, or remove it and set AZURE_STORAGE_ACCOUNT_NAME to use the managed identity',
    );
  }
  if (e.AZURE_STORAGE_ACCOUNT_NAME && !/^[a-z0-9]{3,24}$/.test(e.AZURE_STORAGE_ACCOUNT_NAME)) {
    problems.push(`AZURE_STORAGE_ACCOUNT_NAME "${e.AZURE_STORAGE_ACCOUNT_NAME}" is not a storage account name (3 to 24 lowercase letters and digits, e.g. rapportprodstore)`);
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid environment: ${problems.join('; ')}`, { issues: problems });
  }
  return {
    mode,
    port: e.PORT,
    host: e.HOST ?? (mode === 'demo' ? '127.0.0.1' : undefined),
    dataDir: path.resolve(e.DATA_DIR),
    graph: {
      baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
      authorityHost: e.AUTHORITY_HOST.replace(/\/+$/, ''),
      tenantId: e.TENANT_ID,
      clientId: e.CLIENT_ID,
      clientSecret: e.CLIENT_SECRET,
      certificatePath: e.CLIENT_CERTIFICATE_PATH,
      ...(federated ? { managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID } : {}),
      concurrency: e.GRAPH_CONCURRENCY,
    },
    bot: {
      id: e.BOT_ID,
      password: e.BOT_PASSWORD,
      tenantId: e.BOT_TENANT_ID ?? e.TENANT_ID,
      ...(e.BOT_ID && !e.BOT_PASSWORD && e.MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID } : {}),
    },
    auth: { ssoAudience: e.SSO_AUDIENCE, adminObjectIds: e.ADMIN_OBJECT_IDS, adminAppRole: e.ADMIN_APP_ROLE },
    publicUrl: e.PUBLIC_URL,
    teamsAppId: e.TEAMS_APP_ID,
    firstRunDelayHours: e.FIRST_RUN_DELAY_HOURS ?? (mode === 'demo' ? 0 : 6),
    demoTenant: e.DEMO_TENANT,
    demoSize: { mailboxes: e.DEMO_MAILBOXES, accounts: e.DEMO_ACCOUNTS },
    ...(e.DEMO_FAULTS.length > 0 ? { demoFaults: demoFaults.faults } : {}),
    datasets: { keepUnreferenced: e.DATASETS_KEEP_UNREFERENCED, maxUnreferencedBytes: e.DATASETS_MAX_UNREFERENCED_MB * 1024 * 1024 },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (mode === 'demo' ? 'text' : 'json'),
    ...(e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { telemetry: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } } : {}),
    ...(e.AZURE_STORAGE_CONNECTION_STRING
      ? { storage: { connectionString: e.AZURE_STORAGE_CONNECTION_STRING } }
      : e.AZURE_STORAGE_ACCOUNT_NAME
        ? { storage: { accountName: e.AZURE_STORAGE_ACCOUNT_NAME, ...(e.MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.MANAGED_IDENTITY_CLIENT_ID } : {}) } }
        : {}),
  };
}

/** A summary safe to log: secrets are redacted. */
export function redactedConfig(config: AppConfig): Record<string, unknown> {
  return {
    mode: config.mode,
    port: config.port,
    dataDir: config.dataDir,
    // Demo mode talks to its embedded simulator, whose address is logged once it listens.
    graphBaseUrl: config.mode === 'demo' ? 'the embedded simulator' : config.graph.baseUrl,
    tenantId: config.graph.tenantId,
    clientId: config.graph.clientId,
    clientSecret: config.graph.clientSecret ? '***' : undefined,
    certificatePath: config.graph.certificatePath,
    graphCredential: config.graph.managedIdentityClientId
      ? `federated (managed identity ${config.graph.managedIdentityClientId})`
      : config.graph.certificatePath
        ? 'certificate'
        : config.graph.clientSecret
          ? 'secret'
          : undefined,
    botId: config.bot.id,
    botPassword: config.bot.password ? '***' : undefined,
    botTenantId: config.bot.tenantId,
    botCredential: config.bot.id ? (config.bot.password ? 'secret' : config.bot.managedIdentityClientId ? 'federated (managed identity)' : undefined) : undefined,
    admins: config.mode === 'demo' ? 'every call acts as Demo Admin' : config.auth.adminObjectIds.length,
    firstRunDelayHours: config.firstRunDelayHours,
    ...(config.demoFaults ? { demoFaults: config.demoFaults } : {}),
    datasets: config.datasets,
    telemetry: config.telemetry ? 'Application Insights' : 'off',
    // The connection string carries the account key or a SAS: only its account name is logged.
    storage: !config.storage
      ? 'none (scheduler lease: a lock file under DATA_DIR)'
      : 'accountName' in config.storage
        ? `account ${config.storage.accountName} (managed identity)`
        : `connection string for ${storageAccountOf(config.storage.connectionString)} (***)`,
  };
}

/** The account a connection string names, for logs; Azurite's development string names devstoreaccount1. */
function storageAccountOf(connectionString: string): string {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return 'the local emulator';
  return /(?:^|;)\s*AccountName=([^;]+)/i.exec(connectionString)?.[1]?.trim() ?? 'a SAS';
}
