/**
 * The OpenAPI 3.1 description served at GET /api/openapi.json, written by hand from
 * docs/api.md. A test checks that every route registered in Express appears here.
 */
import { MAX_MINIMUM_COLLEAGUES } from '../engagement/row-privacy';
import { OFFICE_COLUMNS } from '../engagement/types';
import { ERROR_CATALOGUE } from '../errors';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'OK'): Json => ({ description, content: { 'application/json': { schema } } });
const errorResponse = (description: string): Json => json(ref('Error'), description);
const str = { type: 'string' };
const int = { type: 'integer' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] });
const obj = (properties: Json, required: string[] = []): Json => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const arr = (items: Json): Json => ({ type: 'array', items });
const q = (name: string, schema: Json, description?: string, required = false): Json => ({ name, in: 'query', required, schema, ...(description ? { description } : {}) });
const p = (name: string): Json => ({ name, in: 'path', required: true, schema: str });

interface Op {
  summary: string;
  admin?: boolean;
  public?: boolean;
  parameters?: Json[];
  body?: Json;
  bodyType?: string;
  responses: Record<string, Json>;
}

const wwwAuthenticate = {
  description: 'RFC 6750 challenge: `Bearer realm="Rapport"`, plus `error="invalid_token"` and `error_description` when a token was sent and refused',
  schema: str,
};
const retryAfter = { description: 'Seconds until the rate-limit window resets', schema: int };

function op(o: Op, tag: string, path: string): Json {
  const responses: Record<string, Json> = { ...o.responses };
  if (!o.public) responses['401'] = { ...errorResponse('UNAUTHENTICATED: no valid Teams SSO token'), headers: { 'WWW-Authenticate': wwwAuthenticate } };
  // Health is never limited; everything else is, per address before sign-in and per user after it.
  if (path !== '/api/health') responses['429'] = { ...errorResponse('RATE_LIMITED'), headers: { 'Retry-After': retryAfter } };
  if (o.body && o.bodyType === undefined) responses['413'] ??= errorResponse('PAYLOAD_TOO_LARGE: the JSON body is larger than the route takes (1 MB for the configuration, 256 kB elsewhere)');
  if (o.admin) responses['403'] = errorResponse('FORBIDDEN: admins only');
  if (o.parameters?.length || o.body) responses['400'] ??= errorResponse('VALIDATION_FAILED and other bad-input codes (ENCODING_INVALID, JSON_TOO_DEEP, …)');
  return {
    tags: [tag],
    summary: o.summary + (o.admin ? ' (admins only)' : ''),
    ...(o.public ? { security: [] } : {}),
    ...(o.parameters ? { parameters: o.parameters } : {}),
    ...(o.body ? { requestBody: { required: true, content: { [o.bodyType ?? 'application/json']: { schema: o.body } } } } : {}),
    responses,
  };
}

const officeFilters = [
  q('level', { type: 'string', enum: ['year', 'month', 'week'], default: 'year' }),
  q('bucket', str, 'AggregationStartdate of a bucket, or its prefix (2026-01)'),
  q('q', str, 'text in AccountId or AccountName'),
  q('band', { type: 'string', enum: ['High', 'Medium', 'Low'] }),
  q('sort', { type: 'string', enum: [...OFFICE_COLUMNS] }, 'any column; nulls sort last'),
  q('order', { type: 'string', enum: ['asc', 'desc'] }),
];

const schemas: Json = {
  Error: obj({ error: obj({ code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) }, message: str, details: { type: 'object' } }, ['code', 'message']) }, ['error']),
  OfficeRow: {
    type: 'object',
    description:
      'One row of the Office table: AccountId, the 16 seed columns and the extra columns. For a caller who is not an admin, a row under the privacy threshold (rules.minimumColleagues) has every activity column null and carries `privacy`.',
    properties: {
      ...Object.fromEntries(OFFICE_COLUMNS.map((c) => [c, {}])),
      privacy: obj(
        { hidden: { const: true }, minimumColleagues: { type: 'integer', minimum: 2, description: 'The threshold the row falls below' } },
        ['hidden', 'minimumColleagues'],
      ),
    },
    required: [...OFFICE_COLUMNS],
  },
  MailboxFailure: obj({ mailbox: str, code: str, message: str }),
  DatasetUpload: obj({
    datasetId: str,
    kind: { type: 'string', enum: ['contacts', 'accounts'] },
    fileName: str,
    rows: int,
    columns: arr(str),
    delimiter: { type: 'string', enum: ['comma', 'semicolon', 'tab'], description: 'The field separator detected on the header and first rows' },
    preview: arr({ type: 'object' }),
  }),
  RunProgress: obj({
    runId: str,
    phase: { type: 'string', enum: ['queued', 'resolving', 'collecting', 'aggregating', 'saving', 'done', 'failed'] },
    percent: int,
    mailboxesDone: int,
    mailboxesTotal: int,
    messagesProcessed: int,
    meetingsProcessed: int,
    graphRequests: int,
    throttleWaits: int,
    errors: arr(ref('MailboxFailure')),
    startedAt: str,
    updatedAt: str,
  }),
  RunSummary: obj({
    id: str,
    trigger: { type: 'string', enum: ['manual', 'schedule', 'cli', 'demo'] },
    status: { type: 'string', enum: ['running', 'succeeded', 'partial', 'failed'] },
    startedAt: str,
    finishedAt: nullable(str),
    configVersion: int,
    accountsEnriched: int,
    emailsProcessed: int,
    meetingsProcessed: int,
    daysCovered: int,
    graphRequests: int,
    failures: arr(ref('MailboxFailure')),
    warnings: arr(str),
    progress: ref('RunProgress'),
    startedBy: nullable(str),
    error: nullable(obj({ code: str, message: str })),
  }),
  ScoreExplanation: obj({
    score: num,
    signals: arr(obj({ signal: { type: 'string', enum: ['emails', 'meetings', 'breadth', 'recency', 'reciprocity'] }, value: num, percentile: nullable(num), weight: num, points: num })),
  }),
  SegmentCondition: obj(
    {
      kind: { const: 'condition' },
      column: { type: 'string', enum: [...OFFICE_COLUMNS] },
      operator: { type: 'string', enum: ['>', '>=', '<', '<=', '=', '!=', 'isEmpty', 'isNotEmpty'] },
      value: { oneOf: [str, num, { type: 'null' }] },
    },
    ['kind', 'column', 'operator'],
  ),
  SegmentRule: obj(
    { kind: { const: 'group' }, op: { type: 'string', enum: ['and', 'or'] }, children: arr({ oneOf: [ref('SegmentRule'), ref('SegmentCondition')] }) },
    ['kind', 'op', 'children'],
  ),
  Segment: obj({ id: str, name: str, rule: ref('SegmentRule'), builtIn: bool, memberCount: int }),
  Schedule: obj({ dayOfWeek: { type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday' }, hour: int, minute: int, timeZone: { type: 'string', description: 'IANA zone' } }, [
    'dayOfWeek',
    'hour',
    'minute',
    'timeZone',
  ]),
  ScheduleState: obj({ schedule: ref('Schedule'), nextRunAt: nullable(str), explicit: bool }),
  ContactMapping: obj({ email: str, accountId: str, accountName: str, domain: str }, ['email', 'accountId']),
  AccountMapping: obj({ accountId: str, name: str, domain: str }, ['accountId']),
  Rules: obj({
    extraInternalDomains: arr(str),
    exclusions: arr(str),
    staleDays: int,
    upcomingMeetingSuppressesStale: bool,
    weights: obj({ emails: num, meetings: num, breadth: num, recency: num, reciprocity: num }),
    minimumColleagues: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_MINIMUM_COLLEAGUES,
      default: 1,
      description: 'Privacy threshold: for callers who are not admins, rows involving fewer colleagues show only score and band. 1 hides nothing.',
    },
  }),
  ConfigState: obj({ version: int, config: nullable({ type: 'object' }), updatedAt: nullable(str), updatedBy: nullable(str) }),
  OrgEntryResolution: obj({
    entry: str,
    input: str,
    kind: { type: 'string', enum: ['user', 'group', 'unusable', 'unknown'] },
    id: nullable(str),
    displayName: nullable(str),
    mail: nullable(str),
    memberCount: nullable(int),
    reason: nullable(str),
  }),
  DatasetReport: obj({
    rows: int,
    contacts: int,
    accounts: int,
    rowsWithoutEmail: int,
    rowsWithoutAccount: int,
    invalidEmails: int,
    invalidEmailSamples: arr(str),
    multiAccountContacts: int,
    multiAccountContactSamples: arr(obj({ email: str, accountIds: arr(str), chosen: str })),
    ambiguousDomains: arr(str),
    ambiguousDomainDetails: arr(obj({ domain: str, accountIds: arr(str) })),
    freemailOnlyAccounts: int,
    freemailOnlyAccountIds: arr(str),
    internalDomainsChecked: bool,
  }),
  ConsentStatus: obj({
    status: { type: 'string', enum: ['notRequested', 'pending', 'granted', 'denied'] },
    grantedPermissions: arr(str),
    missingPermissions: arr(str),
    requiredPermissions: arr(str),
    // Keyed by required permission; RBAC for Applications grants never show in the token (docs/deploy.md).
    grantedThrough: { type: 'object', additionalProperties: { type: 'string', enum: ['appRole', 'exchangeRbac'] } },
    exchangeRbac: nullable(obj({ mailboxes: arr(str), message: str }, ['mailboxes', 'message'])),
    grantedAt: nullable(str),
    error: nullable(str),
    checkedAt: nullable(str),
  }),
};

const paths: Record<string, Record<string, Op & { tag: string }>> = {
  '/api/health': { get: { tag: 'meta', public: true, summary: 'Liveness and mode', responses: { 200: json(obj({ status: str, mode: str, version: str })) } } },
  '/api/openapi.json': { get: { tag: 'meta', public: true, summary: 'This document', responses: { 200: json({ type: 'object' }) } } },
  '/api/me': { get: { tag: 'meta', summary: 'The caller', responses: { 200: json(obj({ id: str, name: str, tenantId: str, isAdmin: bool, mode: str })) } } },
  '/api/downloads': {
    post: {
      tag: 'meta',
      summary: 'A signed, 5-minute link to one export (office.csv/json, segment members), usable without a bearer token',
      body: obj({ path: str }, ['path']),
      responses: { 200: json(obj({ url: str, expiresAt: str })) },
    },
  },
  '/api/config': {
    get: { tag: 'config', summary: 'The newest configuration version', responses: { 200: json(ref('ConfigState')) } },
    put: {
      tag: 'config',
      admin: true,
      summary: 'Save a new configuration version',
      body: obj(
        {
          name: str,
          orgEntries: arr(str),
          consentAccepted: { const: true },
          contacts: obj({ datasetId: str, mapping: ref('ContactMapping') }, ['datasetId', 'mapping']),
          accounts: obj({ datasetId: str, mapping: ref('AccountMapping') }, ['datasetId', 'mapping']),
          schedule: ref('Schedule'),
          rules: ref('Rules'),
          expectedVersion: int,
        },
        ['name', 'orgEntries', 'consentAccepted', 'contacts'],
      ),
      responses: { 200: json(ref('ConfigState')), 409: errorResponse('CONFIG_VERSION_CONFLICT') },
    },
  },
  '/api/config/versions': { get: { tag: 'config', summary: 'Saved versions, newest first (without their content)', responses: { 200: json(obj({ versions: arr(obj({ version: int, savedAt: str, savedBy: obj({ id: str, name: str }) })) })) } } },
  '/api/config/org/resolve': {
    post: {
      tag: 'config',
      admin: true,
      summary: 'Resolve org addresses and groups into mailboxes (2..2,500)',
      body: obj({ entries: arr(str) }, ['entries']),
      responses: { 200: json(obj({ entries: arr(ref('OrgEntryResolution')), mailboxCount: int, valid: bool, problems: arr(obj({ entry: str, message: str })), warnings: arr(obj({ entry: str, message: str })) })) },
    },
  },
  '/api/datasets': {
    get: { tag: 'datasets', admin: true, summary: 'Uploaded datasets', responses: { 200: json(obj({ datasets: arr({ type: 'object' }) })) } },
    post: {
      tag: 'datasets',
      admin: true,
      summary: 'Upload a customer CSV (streamed; up to 100 MB)',
      parameters: [q('kind', { type: 'string', enum: ['contacts', 'accounts'] }), q('fileName', str)],
      body: { type: 'string' },
      bodyType: 'text/csv',
      responses: { 201: json(ref('DatasetUpload')), 413: errorResponse('PAYLOAD_TOO_LARGE') },
    },
  },
  '/api/datasets/{id}': {
    get: {
      tag: 'datasets',
      admin: true,
      summary: 'An uploaded dataset: columns and first rows (to edit a saved configuration without uploading again)',
      parameters: [p('id')],
      responses: { 200: json(ref('DatasetUpload')), 404: errorResponse('NOT_FOUND') },
    },
  },
  '/api/datasets/{id}/mapping': {
    post: {
      tag: 'datasets',
      admin: true,
      summary: 'Validate a field mapping and preview the matched accounts',
      parameters: [p('id')],
      body: obj({ email: str, accountId: str, accountName: str, domain: str, accountsDatasetId: str, accountsMapping: ref('AccountMapping') }, ['email', 'accountId']),
      responses: { 200: json(obj({ report: ref('DatasetReport'), accountsPreview: arr(obj({ accountId: str, name: nullable(str), contacts: int, domains: arr(str) })) })), 404: errorResponse('NOT_FOUND') },
    },
  },
  '/api/consent': { get: { tag: 'consent', summary: 'Consent status and permissions', responses: { 200: json(ref('ConsentStatus')) } } },
  '/api/consent/request': { post: { tag: 'consent', admin: true, summary: 'The admin consent URL with a fresh state', responses: { 200: json(obj({ url: str, expiresAt: str })) } } },
  '/api/consent/check': { post: { tag: 'consent', admin: true, summary: 'Re-read the granted permissions (consent given in the admin console, grants in Exchange Online)', responses: { 200: json(ref('ConsentStatus')) } } },
  '/api/consent/callback': {
    get: {
      tag: 'consent',
      public: true,
      summary: 'Where Entra ID sends the admin back; answers an HTML page that closes itself',
      parameters: [q('admin_consent', str), q('tenant', str), q('state', str), q('error', str), q('error_description', str)],
      responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: str } } }, 400: { description: 'HTML page (CONSENT_STATE_MISMATCH)', content: { 'text/html': { schema: str } } } },
    },
  },
  '/api/schedule': {
    get: { tag: 'runs', summary: 'The refresh schedule and the next run', responses: { 200: json(ref('ScheduleState')) } },
    put: { tag: 'runs', admin: true, summary: 'Change the schedule (a new configuration version)', body: ref('Schedule'), responses: { 200: json(ref('ScheduleState')), 412: errorResponse('NOT_CONFIGURED') } },
  },
  '/api/runs': {
    get: { tag: 'runs', summary: 'Run history, newest first', responses: { 200: json(obj({ runs: arr(ref('RunSummary')) })) } },
    post: {
      tag: 'runs',
      admin: true,
      summary: 'Run now',
      body: obj({ full: bool }),
      responses: { 202: json(ref('RunSummary'), 'Accepted'), 409: errorResponse('RUN_IN_PROGRESS'), 412: errorResponse('CONSENT_REQUIRED or NOT_CONFIGURED') },
    },
  },
  '/api/runs/{id}': { get: { tag: 'runs', summary: 'One run (polling)', parameters: [p('id')], responses: { 200: json(ref('RunSummary')), 404: errorResponse('NOT_FOUND') } } },
  '/api/runs/{id}/events': {
    get: {
      tag: 'runs',
      summary: 'Server-sent events: progress (RunProgress)…, then done (RunSummary) or failed (RunSummary)',
      parameters: [p('id')],
      responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: str } } }, 404: errorResponse('NOT_FOUND') },
    },
  },
  '/api/results/overview': {
    get: {
      tag: 'results',
      summary: 'Dashboard figures',
      responses: {
        200: json(
          obj({
            lastRun: nullable(ref('RunSummary')),
            totalAccounts: int,
            accountsEnriched: int,
            emailsProcessed: int,
            meetingsProcessed: int,
            daysCovered: int,
            bands: obj({ High: int, Medium: int, Low: int }),
            staleCount: int,
            history: arr(obj({ runId: str, finishedAt: str, accountsEnriched: int })),
            resultsRunId: nullable(str),
            configVersion: nullable(int),
          }),
        ),
      },
    },
  },
  '/api/results/office': {
    get: {
      tag: 'results',
      summary: 'The Office table, filtered, sorted and paged',
      parameters: [...officeFilters, q('page', { type: 'integer', minimum: 1, default: 1 }), q('pageSize', { type: 'integer', minimum: 1, maximum: 500, default: 50 })],
      responses: { 200: json(obj({ rows: arr(ref('OfficeRow')), total: int, page: int, pageSize: int, level: str, buckets: arr(str) })) },
    },
  },
  '/api/results/office.csv': {
    get: { tag: 'results', summary: 'The filtered Office table as CSV (OFFICE_COLUMNS order)', parameters: officeFilters, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: str } } } } },
  },
  '/api/results/office.json': { get: { tag: 'results', summary: 'The filtered Office table as JSON', parameters: officeFilters, responses: { 200: json(obj({ rows: arr(ref('OfficeRow')) })) } } },
  '/api/results/user-table': { get: { tag: 'results', admin: true, summary: 'Office_UserTable: object ids of the configured mailboxes', responses: { 200: json(obj({ rows: arr(obj({ ObjectId: str })) })) } } },
  '/api/accounts': {
    get: {
      tag: 'results',
      summary: 'Fuzzy account search on name and id',
      parameters: [q('q', str), q('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 })],
      responses: { 200: json(obj({ accounts: arr(obj({ accountId: str, name: nullable(str), score: num, band: str })) })) },
    },
  },
  '/api/accounts/{accountId}': {
    get: {
      tag: 'results',
      summary: 'Customer card',
      parameters: [p('accountId')],
      responses: {
        200: json(obj({ account: obj({ accountId: str, name: nullable(str) }), year: ref('OfficeRow'), months: arr(ref('OfficeRow')), weeks: arr(ref('OfficeRow')), explanation: ref('ScoreExplanation'), stale: bool })),
        404: errorResponse('NOT_FOUND'),
      },
    },
  },
  '/api/segments': {
    get: { tag: 'segments', summary: 'Segments, the built-in "stale" first', responses: { 200: json(obj({ segments: arr(ref('Segment')) })) } },
    post: { tag: 'segments', summary: 'Save a segment', body: obj({ name: str, rule: ref('SegmentRule') }, ['name', 'rule']), responses: { 201: json(ref('Segment'), 'Created') } },
  },
  '/api/segments/preview': {
    post: { tag: 'segments', summary: 'Members of an unsaved rule (first 50)', body: obj({ rule: ref('SegmentRule') }, ['rule']), responses: { 200: json(obj({ total: int, members: arr(ref('OfficeRow')) })) } },
  },
  '/api/segments/{id}': {
    get: { tag: 'segments', summary: 'One segment', parameters: [p('id')], responses: { 200: json(ref('Segment')), 404: errorResponse('NOT_FOUND') } },
    put: { tag: 'segments', summary: 'Change a segment (not the built-in one)', parameters: [p('id')], body: obj({ name: str, rule: ref('SegmentRule') }, ['name', 'rule']), responses: { 200: json(ref('Segment')), 404: errorResponse('NOT_FOUND') } },
    delete: { tag: 'segments', summary: 'Delete a segment (not the built-in one)', parameters: [p('id')], responses: { 204: { description: 'Deleted' }, 404: errorResponse('NOT_FOUND') } },
  },
  '/api/segments/{id}/members': {
    get: {
      tag: 'segments',
      summary: 'Members (year rows) as JSON or CSV',
      parameters: [p('id'), q('format', { type: 'string', enum: ['json', 'csv'], default: 'json' })],
      responses: { 200: { description: 'Members', content: { 'application/json': { schema: obj({ total: int, members: arr(ref('OfficeRow')) }) }, 'text/csv': { schema: str } } }, 404: errorResponse('NOT_FOUND') },
    },
  },
  '/api/measures': {
    post: {
      tag: 'segments',
      summary: 'count/sum/avg/min/max of a column over a segment or all accounts, optionally by month',
      body: obj({ fn: { type: 'string', enum: ['count', 'sum', 'avg', 'min', 'max'] }, column: { type: 'string', enum: [...OFFICE_COLUMNS] }, segmentId: str, byMonth: bool }, ['fn']),
      responses: { 200: json(obj({ value: { oneOf: [num, str, { type: 'null' }] }, byMonth: arr(obj({ month: str, value: { oneOf: [num, str, { type: 'null' }] } })) })) },
    },
  },
  '/api/messages': { post: { tag: 'bot', public: true, summary: 'Bot Framework endpoint (validates the Bot Framework JWT itself)', body: { type: 'object' }, responses: { 200: { description: 'OK' } } } },
};

export function openApiDocument(version: string): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Rapport API', version, description: 'Account-level engagement data from Microsoft 365. See docs/api.md.' },
    servers: [{ url: '/' }],
    security: [{ teamsSso: [] }],
    components: {
      securitySchemes: { teamsSso: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Teams SSO token (Entra ID). Not needed in demo mode.' } },
      schemas,
    },
    paths: Object.fromEntries(Object.entries(paths).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([method, o]) => [method, op(o, o.tag, path)]))])),
  };
}
