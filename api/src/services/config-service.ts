/**
 * The enrichment configuration, versioned: every save appends a new immutable version, and a
 * run reads one version as a whole. Rules and the schedule are part of the configuration.
 */
import type { OrgEntryResolution, TenantGateway } from '../enrichment/ports';
import { MAX_MAILBOXES, MIN_MAILBOXES, assertUsableResolution } from '../enrichment/run-enrichment';
import { AppError, isAppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import type { Clock } from './clock';
import { CONFIG_PARTS, DEFAULT_RULES, type ConfigHistory, type ConfigPart, type ConfigRules, type PutConfigBody } from '../contract/config';
import type { DatasetService } from './dataset-service';
import type { Identity } from './identity';
import { Listeners } from './listeners';
import type { Logger } from './logger';
import type { Schedule } from './schedule';
import type { AppState, ConfigVersion, EnrichmentConfig } from './state';

/** The wire form of one resolved org entry: the port's fields, `entry` for the tab, and a reason. */
export interface OrgEntryView {
  entry: string;
  input: string;
  kind: OrgEntryResolution['kind'];
  id: string | null;
  displayName: string | null;
  mail: string | null;
  memberCount: number | null;
  reason: string | null;
}

export interface OrgResolveResult {
  entries: OrgEntryView[];
  mailboxCount: number;
  valid: boolean;
  problems: { entry: string; message: string }[];
  /** Extra: entries that are dropped but do not block saving (users without mail). */
  warnings: { entry: string; message: string }[];
}

export interface ConfigView {
  version: number;
  config: EnrichmentConfig | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** JSON equality of two plain config values (key order included: both come from the same code). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Which parts of the configuration differ between two versions, in CONFIG_PARTS order. The
 * consent statement is left out: it is accepted again, with a new time, on every save.
 */
export function changedParts(before: EnrichmentConfig, after: EnrichmentConfig): ConfigPart[] {
  const datasets = (c: EnrichmentConfig) => [c.contacts.datasetId, c.accounts?.datasetId ?? null];
  const mapping = (c: EnrichmentConfig) => [c.contacts.mapping, c.accounts?.mapping ?? null];
  const differs: Record<ConfigPart, boolean> = {
    name: before.name !== after.name,
    mailboxes: !same(before.orgEntries, after.orgEntries),
    datasets: !same(datasets(before), datasets(after)),
    mapping: !same(mapping(before), mapping(after)),
    tenantAdmin: !same(before.tenantAdmin, after.tenantAdmin),
    schedule: !same(before.schedule, after.schedule),
    rules: !same(before.rules, after.rules),
  };
  return CONFIG_PARTS.filter((part) => differs[part]);
}

/** Keep the history bounded; runs only ever need the newest version. */
const MAX_VERSIONS = 200;

export class ConfigService {
  private readonly saved = new Listeners<ConfigVersion>();

  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      gateway: TenantGateway;
      datasets: DatasetService;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** The newest version, or null before the first save. */
  async current(): Promise<ConfigVersion | null> {
    const state = await this.deps.state.read();
    return state.configVersions.at(-1) ?? null;
  }

  async view(): Promise<ConfigView> {
    const current = await this.current();
    return {
      version: current?.version ?? 0,
      config: current?.config ?? null,
      updatedAt: current?.savedAt ?? null,
      updatedBy: current?.savedBy.name ?? null,
    };
  }

  async versions(): Promise<Omit<ConfigVersion, 'config'>[]> {
    const state = await this.deps.state.read();
    return state.configVersions.map(({ version, savedAt, savedBy }) => ({ version, savedAt, savedBy })).reverse();
  }

  /** GET /api/config/history: every kept version, newest first, with the parts each one changed. */
  async history(): Promise<ConfigHistory> {
    const { configVersions } = await this.deps.state.read();
    const versions = configVersions.map((v, i) => {
      const previous = configVersions[i - 1];
      return {
        version: v.version,
        savedAt: v.savedAt,
        savedBy: { id: v.savedBy.id, name: v.savedBy.name },
        changed: previous ? changedParts(previous.config, v.config) : [],
        first: v.version === 1,
      };
    });
    return { versions: versions.reverse() };
  }

  onSaved(listener: (version: ConfigVersion) => void | Promise<void>): () => void {
    return this.saved.add(listener);
  }

  /** POST /api/config/org/resolve: what the entries resolve to, with problems for the live wizard. */
  async resolveOrg(entries: string[]): Promise<OrgResolveResult> {
    let resolution;
    try {
      resolution = await this.deps.gateway.newSource().resolveMailboxes(entries);
    } catch (e) {
      // App permissions come with tenant-admin consent; before it the directory cannot be read.
      if (isAppError(e) && e.code === 'GRAPH_ACCESS_DENIED') {
        throw new AppError(
          'CONSENT_REQUIRED',
          'The directory cannot be read until the tenant administrator grants consent. Save the configuration and request consent; the addresses are checked then, and again at every run.',
          { reason: 'directoryNotReadable' },
          e,
        );
      }
      throw e;
    }
    const problems: OrgResolveResult['problems'] = [];
    const warnings: OrgResolveResult['warnings'] = [];
    const views = resolution.entries.map((e): OrgEntryView => {
      const base = { entry: e.input, input: e.input, kind: e.kind, id: null, displayName: null, mail: null, memberCount: null, reason: null };
      switch (e.kind) {
        case 'user':
          // A disabled user named directly is kept: a shared mailbox (DESIGN.md §3).
          return { ...base, id: e.id, displayName: e.displayName, mail: e.mail, reason: e.signInDisabled ? 'signInDisabled' : null };
        case 'group':
          return { ...base, id: e.id, displayName: e.displayName, mail: e.mail, memberCount: e.memberCount };
        case 'unusable': {
          warnings.push({ entry: e.input, message: `${e.input} has no mailbox; it is left out.` });
          return { ...base, id: e.id, reason: e.reason };
        }
        case 'unknown':
          problems.push({ entry: e.input, message: `${e.input} was not found in the directory; check the spelling, or use the group's email address.` });
          return { ...base, reason: 'notFound' };
        default: {
          const exhaustive: never = e;
          return exhaustive;
        }
      }
    });
    const n = resolution.mailboxes.length;
    if (n < MIN_MAILBOXES) {
      problems.push({ entry: '', message: `The entries resolve to ${n} mailbox${n === 1 ? '' : 'es'}; add addresses or groups until there are at least ${MIN_MAILBOXES}.` });
    } else if (n > MAX_MAILBOXES) {
      problems.push({ entry: '', message: `The entries resolve to ${n.toLocaleString('en-US')} mailboxes; remove some until there are at most ${MAX_MAILBOXES.toLocaleString('en-US')}.` });
    }
    return { entries: views, mailboxCount: n, valid: problems.length === 0, problems, warnings };
  }

  /**
   * The owner columns ("My accounts") exist in their files. The mapping of the other columns is
   * checked by reading the dataset; the owner column is read only by the results, so without
   * this a misspelt one would be saved and every seller would silently see all accounts.
   */
  private async assertOwnerColumns(body: PutConfigBody): Promise<void> {
    const owned = [
      { part: body.contacts, kind: 'contacts' as const, field: 'contacts.mapping.owner' },
      ...(body.accounts ? [{ part: body.accounts, kind: 'accounts' as const, field: 'accounts.mapping.owner' }] : []),
    ];
    for (const { part, kind, field } of owned) {
      const column = part.mapping.owner;
      if (column === undefined) continue;
      const table = await this.deps.datasets.table(part.datasetId, kind, field);
      if (!table.columns.includes(column)) {
        throw new AppError(
          'CSV_MISSING_COLUMN',
          `${table.fileName}: no column "${column}" (owner column). Its columns are: ${table.columns.join(', ')}. Choose the column with each account’s seller email, or map no owner column.`,
          { fileName: table.fileName, column, columns: table.columns, field },
        );
      }
    }
  }

  /** PUT /api/config: checks everything, then appends one new version in one write. */
  async save(body: PutConfigBody, by: Identity): Promise<ConfigVersion> {
    const before = await this.current();
    this.assertExpectedVersion(body.expectedVersion, before);
    // Checks the datasets and that every mapped column exists (a clear 400 otherwise).
    await this.deps.datasets.customerDataset(body.contacts, body.accounts);
    await this.assertOwnerColumns(body);
    const mailboxCount = await this.checkedMailboxCount(body.orgEntries);
    const now = this.deps.clock.now().toISOString();
    const config: EnrichmentConfig = {
      name: body.name,
      orgEntries: body.orgEntries,
      consentAccepted: true,
      consentStatement: { acceptedBy: by.id, acceptedByName: by.name, acceptedAt: now },
      contacts: body.contacts,
      ...(body.accounts ? { accounts: body.accounts } : {}),
      ...(body.schedule ? { schedule: body.schedule } : before?.config.schedule ? { schedule: before.config.schedule } : {}),
      rules: body.rules ?? before?.config.rules ?? structuredClone(DEFAULT_RULES),
      mailboxCount,
    };
    // Absent keeps the administrator named before (the CLI and older tabs do not send it); null removes it.
    const tenantAdmin = body.tenantAdmin === undefined ? before?.config.tenantAdmin : (body.tenantAdmin ?? undefined);
    if (tenantAdmin) config.tenantAdmin = { name: tenantAdmin.name, email: tenantAdmin.email };
    const version = await this.append(config, by, body.expectedVersion);
    this.deps.logger.info('configuration saved', { version: version.version, by: by.id });
    return version;
  }

  /** PUT /api/schedule: a new version that differs only in its schedule. */
  async setSchedule(schedule: Schedule, by: Identity): Promise<ConfigVersion> {
    const before = await this.current();
    if (!before) throw new AppError('NOT_CONFIGURED', 'Save the configuration (the setup wizard) before changing the schedule.');
    return this.append({ ...before.config, schedule }, by, before.version);
  }

  /**
   * PUT /api/config/rules (the settings page): a new version that differs only in its rules.
   * The stale threshold and suppression apply to every reader at once (ResultsService.staleRules);
   * weights, internal domains and exclusions change the numbers from the next run on.
   */
  async setRules(rules: ConfigRules, expectedVersion: number, by: Identity): Promise<ConfigVersion> {
    const before = await this.current();
    if (!before) throw new AppError('NOT_CONFIGURED', 'Save the configuration (the setup wizard) before changing the settings.');
    const version = await this.append({ ...before.config, rules }, by, expectedVersion);
    this.deps.logger.info('rules saved', { version: version.version, by: by.id });
    return version;
  }

  private async append(config: EnrichmentConfig, by: Identity, expectedVersion: number | undefined): Promise<ConfigVersion> {
    const saved = await this.deps.state.update((state) => {
      this.assertExpectedVersion(expectedVersion, state.configVersions.at(-1) ?? null);
      const version: ConfigVersion = {
        version: (state.configVersions.at(-1)?.version ?? 0) + 1,
        config,
        savedAt: this.deps.clock.now().toISOString(),
        savedBy: { id: by.id, name: by.name },
      };
      state.configVersions.push(version);
      if (state.configVersions.length > MAX_VERSIONS) state.configVersions.splice(0, state.configVersions.length - MAX_VERSIONS);
      return version;
    });
    await this.saved.emit(saved, (e) => this.deps.logger.error('config listener failed', { error: (e as Error).message }));
    return saved;
  }

  private assertExpectedVersion(expected: number | undefined, current: ConfigVersion | null): void {
    const actual = current?.version ?? 0;
    if (expected !== undefined && expected !== actual) {
      throw new AppError('CONFIG_VERSION_CONFLICT', `The configuration is at version ${actual}, not ${expected}; reload it and save again.`, {
        expectedVersion: expected,
        currentVersion: actual,
      });
    }
  }

  /**
   * Resolves the org entries and rejects unknown entries and counts outside 2..2,500. Before
   * consent the directory may not be readable yet; then the count is checked at the first run.
   */
  private async checkedMailboxCount(entries: string[]): Promise<number | null> {
    let resolution;
    try {
      resolution = await this.deps.gateway.newSource().resolveMailboxes(entries);
    } catch (e) {
      if (isAppError(e) && !e.code.startsWith('GRAPH_')) throw e;
      this.deps.logger.info('org entries not checked yet: Graph lets an app read the directory only after admin consent (it answered 403, as a real tenant does); the first run resolves them', {
        reason: (e as Error).message,
      });
      return null;
    }
    assertUsableResolution(resolution);
    return resolution.mailboxes.length;
  }
}
