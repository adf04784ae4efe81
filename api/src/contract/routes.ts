/**
 * The route table: every route of the REST API in one place, with who may call it, the
 * schemas of its request (path parameters, query, body) and of its answer, and the error codes
 * it answers besides the ones every route shares. The server validates requests with these
 * schemas, the OpenAPI document is generated from this table (openapi.ts), and
 * tests/api/contract.test.ts drives every entry and checks the answers against it.
 */
import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { idParamsSchema } from './common';
import { configStateSchema, configVersionsSchema, orgResolveBodySchema, orgResolveResultSchema, putConfigSchema, scheduleSchema, scheduleStateSchema } from './config';
import { consentAdminRequestBodySchema, consentAdminRequestListSchema, consentAdminRequestResultSchema, consentRequestSchema, consentStatusSchema } from './consent';
import { configHistorySchema } from './config';
import { datasetListSchema, datasetParamsSchema, datasetUploadSchema, mappingResultSchema, templateQuerySchema, uploadQuerySchema } from './datasets';
import { mappingBodySchema, putRulesSchema } from './config';
import { downloadBodySchema, downloadLinkSchema, healthSchema, meSchema, readinessSchema } from './meta';
import {
  accountCardSchema,
  accountParamsSchema,
  changesQuerySchema,
  changesSchema,
  officeFilterSchema,
  officePageQuerySchema,
  officePageSchema,
  officeRowsSchema,
  overviewSchema,
  searchQuerySchema,
  searchResultSchema,
  timelineQuerySchema,
  timelineSchema,
  userTableSchema,
} from './results';
import { runBodySchema, runListQuerySchema, runListSchema, runSummarySchema } from './runs';
import {
  measureBodySchema,
  measureResultSchema,
  segmentBodySchema,
  segmentListSchema,
  segmentMembersQuerySchema,
  segmentMembersSchema,
  segmentPreviewBodySchema,
  segmentSchema,
} from './segments';

export const TAGS = {
  meta: 'Health, the caller, this document and signed download links.',
  config: 'The enrichment’s configuration: org entries, datasets, rules and versions.',
  datasets: 'Customer CSV files: upload, preview and field mapping.',
  consent: 'Tenant-admin consent to the Microsoft Graph permissions.',
  runs: 'Enrichment runs and the weekly schedule.',
  results: 'The Office table, its exports, the overview and customer cards.',
  segments: 'Segments of accounts and measures over them.',
  bot: 'The Teams bot’s endpoint.',
} as const;
export type Tag = keyof typeof TAGS;

/** public: no token; user: a Teams SSO token (demo: Demo Admin); admin: a token of an admin. */
export type Access = 'public' | 'user' | 'admin';

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: `/api/runs/{id}`. */
  path: string;
  /** Stable, unique: what generated clients name the call. */
  operationId: string;
  summary: string;
  tag: Tag;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** @default application/json */
  bodyType?: 'application/json' | 'text/csv';
  ok: {
    status: 200 | 201 | 202 | 204;
    description: string;
    /** The JSON answer; absent for 204 and for answers that are not JSON. */
    schema?: z.ZodType;
    /** Answers that are not JSON (CSV, HTML, an event stream), with a description of the text. */
    text?: { type: 'text/csv' | 'text/html' | 'text/event-stream'; description: string };
  };
  /** Error codes this route answers besides the shared ones (401, 403 for admins, 429, 400 on bad input). */
  errors?: ErrorCode[];
}

const json = (schema: z.ZodType, description = 'OK', status: 200 | 201 | 202 = 200): RouteSpec['ok'] => ({ status, description, schema });

export const ROUTES: readonly RouteSpec[] = [
  // meta
  { method: 'get', path: '/api/health', operationId: 'getHealth', summary: 'Liveness and mode', tag: 'meta', access: 'public', ok: json(healthSchema) },
  {
    method: 'get',
    path: '/api/ready',
    operationId: 'getReady',
    summary: 'Readiness: store readable, scheduler running, Graph token obtainable',
    tag: 'meta',
    access: 'public',
    ok: json(readinessSchema, 'Ready to take traffic; every check passed'),
    errors: ['NOT_READY'],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'meta',
    access: 'public',
    ok: json(z.record(z.string(), z.unknown()).describe('The OpenAPI 3.1 document, generated from api/src/contract.'), 'The OpenAPI document'),
  },
  { method: 'get', path: '/api/me', operationId: 'getMe', summary: 'The caller', tag: 'meta', access: 'user', ok: json(meSchema) },
  {
    method: 'post',
    path: '/api/downloads',
    operationId: 'createDownloadLink',
    summary: 'A signed, 5-minute link to one export (office.csv/json, segment members, the dataset template, rejected rows), usable without a bearer token',
    tag: 'meta',
    access: 'user',
    body: downloadBodySchema,
    ok: json(downloadLinkSchema),
  },
  // config
  { method: 'get', path: '/api/config', operationId: 'getConfig', summary: 'The newest configuration version', tag: 'config', access: 'user', ok: json(configStateSchema) },
  {
    method: 'put',
    path: '/api/config',
    operationId: 'saveConfig',
    summary: 'Save a new configuration version',
    tag: 'config',
    access: 'admin',
    body: putConfigSchema,
    ok: json(configStateSchema),
    errors: ['CONFIG_VERSION_CONFLICT', 'NOT_FOUND'],
  },
  {
    method: 'put',
    path: '/api/config/rules',
    operationId: 'saveRules',
    summary: 'Save the rules (stale threshold, suppression, weights, internal domains, exclusions, privacy) as a new configuration version',
    tag: 'config',
    access: 'admin',
    body: putRulesSchema,
    ok: json(configStateSchema),
    errors: ['CONFIG_VERSION_CONFLICT', 'NOT_CONFIGURED'],
  },
  { method: 'get', path: '/api/config/versions', operationId: 'listConfigVersions', summary: 'Saved versions, newest first (without their content)', tag: 'config', access: 'user', ok: json(configVersionsSchema) },
  {
    method: 'get',
    path: '/api/config/history',
    operationId: 'getConfigHistory',
    summary: 'Saved versions, newest first, with who saved each and which parts it changed',
    tag: 'config',
    access: 'user',
    ok: json(configHistorySchema),
  },
  {
    method: 'post',
    path: '/api/config/org/resolve',
    operationId: 'resolveOrgEntries',
    summary: 'Resolve org addresses and groups into mailboxes (2..2,500)',
    tag: 'config',
    access: 'admin',
    body: orgResolveBodySchema,
    ok: json(orgResolveResultSchema),
  },
  // datasets
  { method: 'get', path: '/api/datasets', operationId: 'listDatasets', summary: 'Uploaded datasets', tag: 'datasets', access: 'admin', ok: json(datasetListSchema) },
  {
    method: 'post',
    path: '/api/datasets',
    operationId: 'uploadDataset',
    summary: 'Upload a customer CSV (streamed; up to 100 MB)',
    tag: 'datasets',
    access: 'admin',
    query: uploadQuerySchema,
    body: z.string().describe('The CSV file: a header row, then one row per contact or account.'),
    bodyType: 'text/csv',
    ok: json(datasetUploadSchema, 'Created', 201),
    errors: ['PAYLOAD_TOO_LARGE', 'CSV_MALFORMED', 'CSV_MISSING_COLUMN', 'ENCODING_INVALID'],
  },
  {
    method: 'get',
    path: '/api/datasets/template.csv',
    operationId: 'getDatasetTemplate',
    summary: 'A template CSV: the header the wizard maps by itself and two example.com rows',
    tag: 'datasets',
    access: 'admin',
    query: templateQuerySchema,
    ok: { status: 200, description: 'CSV', text: { type: 'text/csv', description: 'An attachment, rapport-<kind>-template.csv (UTF-8 with a BOM, CRLF).' } },
  },
  {
    method: 'get',
    path: '/api/datasets/{id}/rejected.csv',
    operationId: 'getRejectedRows',
    summary: 'The rows a partial import set aside, each with its reason',
    tag: 'datasets',
    access: 'admin',
    params: datasetParamsSchema,
    ok: {
      status: 200,
      description: 'CSV',
      text: {
        type: 'text/csv',
        description:
          'An attachment, <file>-rejected.csv: a Reason column, then the row’s values in the file’s own columns, in the upload’s separator (UTF-8 with a BOM). Just the header when no row was set aside.',
      },
    },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/datasets/{id}',
    operationId: 'getDataset',
    summary: 'An uploaded dataset: columns and first rows (to edit a saved configuration without uploading again)',
    tag: 'datasets',
    access: 'admin',
    params: datasetParamsSchema,
    ok: json(datasetUploadSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/datasets/{id}/mapping',
    operationId: 'checkDatasetMapping',
    summary: 'Validate a field mapping and preview the matched accounts',
    tag: 'datasets',
    access: 'admin',
    params: datasetParamsSchema,
    body: mappingBodySchema,
    ok: json(mappingResultSchema),
    errors: ['NOT_FOUND'],
  },
  // consent
  { method: 'get', path: '/api/consent', operationId: 'getConsent', summary: 'Consent status and permissions', tag: 'consent', access: 'user', ok: json(consentStatusSchema) },
  { method: 'post', path: '/api/consent/request', operationId: 'requestConsent', summary: 'The admin consent URL with a fresh state', tag: 'consent', access: 'admin', ok: json(consentRequestSchema) },
  {
    method: 'get',
    path: '/api/consent/requests',
    operationId: 'listConsentAdminRequests',
    summary: 'Requests to the tenant administrator to grant consent, newest first',
    tag: 'consent',
    access: 'admin',
    ok: json(consentAdminRequestListSchema),
  },
  {
    method: 'post',
    path: '/api/consent/requests',
    operationId: 'askTenantAdmin',
    summary: 'Record a request to the configured tenant administrator and get the consent link to send (valid 7 days)',
    tag: 'consent',
    access: 'admin',
    body: consentAdminRequestBodySchema,
    ok: json(consentAdminRequestResultSchema, 'Created', 201),
    errors: ['NOT_CONFIGURED'],
  },
  {
    method: 'post',
    path: '/api/consent/check',
    operationId: 'checkConsent',
    summary: 'Re-read the granted permissions (consent given in the admin console, grants in Exchange Online)',
    tag: 'consent',
    access: 'admin',
    ok: json(consentStatusSchema),
  },
  {
    method: 'get',
    path: '/api/consent/callback',
    operationId: 'completeConsent',
    summary: 'Where Entra ID sends the admin back; answers an HTML page that closes itself',
    tag: 'consent',
    access: 'public',
    query: z.object({
      admin_consent: z.string().optional().describe('"True" when the admin consented.'),
      tenant: z.string().optional(),
      state: z.string().optional().describe('The state of the consent request; accepted once, before it expires.'),
      error: z.string().optional(),
      error_description: z.string().optional(),
    }),
    ok: { status: 200, description: 'An HTML page that tells the outcome and closes itself', text: { type: 'text/html', description: 'The page; an error outcome answers it with the error’s status (400 CONSENT_STATE_MISMATCH, …).' } },
    errors: ['CONSENT_STATE_MISMATCH'],
  },
  // runs
  { method: 'get', path: '/api/schedule', operationId: 'getSchedule', summary: 'The refresh schedule and the next run', tag: 'runs', access: 'user', ok: json(scheduleStateSchema) },
  {
    method: 'put',
    path: '/api/schedule',
    operationId: 'setSchedule',
    summary: 'Change the schedule (a new configuration version)',
    tag: 'runs',
    access: 'admin',
    body: scheduleSchema,
    ok: json(scheduleStateSchema),
    errors: ['NOT_CONFIGURED'],
  },
  { method: 'get', path: '/api/runs', operationId: 'listRuns', summary: 'Run history, newest first, and which run’s results are current', tag: 'runs', access: 'user', query: runListQuerySchema, ok: json(runListSchema) },
  {
    method: 'post',
    path: '/api/runs',
    operationId: 'startRun',
    summary: 'Run now',
    tag: 'runs',
    access: 'admin',
    body: runBodySchema,
    ok: json(runSummarySchema, 'Accepted: the run has started; poll it or follow its events', 202),
    errors: ['RUN_IN_PROGRESS', 'CONSENT_REQUIRED', 'NOT_CONFIGURED'],
  },
  {
    method: 'post',
    path: '/api/runs/{id}/cancel',
    operationId: 'cancelRun',
    summary: 'Cancel a running run',
    tag: 'runs',
    access: 'admin',
    params: idParamsSchema,
    ok: json(runSummarySchema, 'The run, once stopped (status `cancelled`; the previous results stay current). Should it take more than a few seconds, the run as it is then, still `running` with `cancelledBy` set.'),
    errors: ['NOT_FOUND', 'RUN_NOT_RUNNING'],
  },
  { method: 'get', path: '/api/runs/{id}', operationId: 'getRun', summary: 'One run (polling)', tag: 'runs', access: 'user', params: idParamsSchema, ok: json(runSummarySchema), errors: ['NOT_FOUND'] },
  {
    method: 'get',
    path: '/api/runs/{id}/events',
    operationId: 'streamRunEvents',
    summary: 'Server-sent events of one run',
    tag: 'runs',
    access: 'user',
    params: idParamsSchema,
    ok: {
      status: 200,
      description: 'The event stream',
      text: { type: 'text/event-stream', description: '`progress` events (data: RunProgress), then `done`, `failed` or `cancelled` (data: RunSummary), and the stream closes.' },
    },
    errors: ['NOT_FOUND'],
  },
  // results
  { method: 'get', path: '/api/results/overview', operationId: 'getOverview', summary: 'Dashboard figures', tag: 'results', access: 'user', ok: json(overviewSchema) },
  {
    method: 'get',
    path: '/api/results/changes',
    operationId: 'getChanges',
    summary: 'What changed: score gains and drops, accounts gone quiet, meetings in the coming days',
    tag: 'results',
    access: 'user',
    query: changesQuerySchema,
    ok: json(changesSchema),
  },
  {
    method: 'get',
    path: '/api/results/timeline',
    operationId: 'getTimeline',
    summary: 'Enriched customers per ISO week over the window, and the runs',
    tag: 'results',
    access: 'user',
    query: timelineQuerySchema,
    ok: json(timelineSchema),
  },
  {
    method: 'get',
    path: '/api/results/office',
    operationId: 'getOfficePage',
    summary: 'The Office table, filtered, sorted and paged',
    tag: 'results',
    access: 'user',
    query: officePageQuerySchema,
    ok: json(officePageSchema),
  },
  {
    method: 'get',
    path: '/api/results/office.csv',
    operationId: 'exportOfficeCsv',
    summary: 'The filtered Office table as CSV (OFFICE_COLUMNS order)',
    tag: 'results',
    access: 'user',
    query: officeFilterSchema,
    ok: { status: 200, description: 'CSV', text: { type: 'text/csv', description: 'A header row of the Office columns, then one row per Office row (an attachment, office.csv).' } },
  },
  {
    method: 'get',
    path: '/api/results/office.json',
    operationId: 'exportOfficeJson',
    summary: 'The filtered Office table as JSON',
    tag: 'results',
    access: 'user',
    query: officeFilterSchema,
    ok: json(officeRowsSchema, 'An attachment, office.json'),
  },
  { method: 'get', path: '/api/results/user-table', operationId: 'getUserTable', summary: 'Office_UserTable: object ids of the configured mailboxes', tag: 'results', access: 'admin', ok: json(userTableSchema) },
  { method: 'get', path: '/api/accounts', operationId: 'searchAccounts', summary: 'Fuzzy account search on name and id', tag: 'results', access: 'user', query: searchQuerySchema, ok: json(searchResultSchema) },
  {
    method: 'get',
    path: '/api/accounts/{accountId}',
    operationId: 'getAccountCard',
    summary: 'Customer card',
    tag: 'results',
    access: 'user',
    params: accountParamsSchema,
    ok: json(accountCardSchema),
    errors: ['NOT_FOUND'],
  },
  // segments
  { method: 'get', path: '/api/segments', operationId: 'listSegments', summary: 'Segments, the built-in "stale" first', tag: 'segments', access: 'user', ok: json(segmentListSchema) },
  { method: 'post', path: '/api/segments', operationId: 'createSegment', summary: 'Save a segment', tag: 'segments', access: 'user', body: segmentBodySchema, ok: json(segmentSchema, 'Created', 201) },
  {
    method: 'post',
    path: '/api/segments/preview',
    operationId: 'previewSegment',
    summary: 'Members of an unsaved rule (first 50)',
    tag: 'segments',
    access: 'user',
    body: segmentPreviewBodySchema,
    ok: json(segmentMembersSchema),
  },
  { method: 'get', path: '/api/segments/{id}', operationId: 'getSegment', summary: 'One segment', tag: 'segments', access: 'user', params: idParamsSchema, ok: json(segmentSchema), errors: ['NOT_FOUND'] },
  {
    method: 'put',
    path: '/api/segments/{id}',
    operationId: 'updateSegment',
    summary: 'Change a segment (not the built-in one)',
    tag: 'segments',
    access: 'user',
    params: idParamsSchema,
    body: segmentBodySchema,
    ok: json(segmentSchema),
    errors: ['NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/segments/{id}',
    operationId: 'deleteSegment',
    summary: 'Delete a segment (not the built-in one)',
    tag: 'segments',
    access: 'user',
    params: idParamsSchema,
    ok: { status: 204, description: 'Deleted' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/segments/{id}/members',
    operationId: 'getSegmentMembers',
    summary: 'Members (year rows) as JSON, or as CSV with format=csv',
    tag: 'segments',
    access: 'user',
    params: idParamsSchema,
    query: segmentMembersQuerySchema,
    ok: { status: 200, description: 'The members', schema: segmentMembersSchema, text: { type: 'text/csv', description: 'With format=csv: the Office columns of the members (an attachment).' } },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/measures',
    operationId: 'computeMeasure',
    summary: 'count/sum/avg/min/max of a column over a segment or all accounts, optionally by month',
    tag: 'segments',
    access: 'user',
    body: measureBodySchema,
    ok: json(measureResultSchema),
    errors: ['NOT_FOUND'],
  },
  // bot
  {
    method: 'post',
    path: '/api/messages',
    operationId: 'receiveBotActivity',
    summary: 'Bot Framework endpoint (validates the Bot Framework JWT itself)',
    tag: 'bot',
    access: 'public',
    body: z.record(z.string(), z.unknown()).describe('A Bot Framework activity.'),
    ok: { status: 200, description: 'The activity was handled' },
  },
];
