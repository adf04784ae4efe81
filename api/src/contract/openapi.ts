/**
 * The OpenAPI 3.1 document, generated from the route table (routes.ts) and the contract's zod
 * schemas with `z.toJSONSchema`. Named schemas (`.meta({ id })`) become components; a schema
 * whose request form differs from its answer form (defaults, aliases) gets a second component,
 * `<Name>Input`. Served at GET /api/openapi.json; `npm run lint:openapi` lints it with redocly.
 */
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors';
import { errorBodySchema } from './common';
import { ROUTES, TAGS, type RouteSpec } from './routes';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENT = '#/components/schemas/';

/** The slots of a route, each converted as a request (input) or an answer (output). */
function slotsOf(route: RouteSpec): [string, z.ZodType, Io][] {
  const slots: [string, z.ZodType, Io][] = [];
  if (route.params) slots.push(['params', route.params, 'input']);
  if (route.query) slots.push(['query', route.query, 'input']);
  if (route.body) slots.push(['body', route.body, 'input']);
  if (route.ok.schema) slots.push(['ok', route.ok.schema, 'output']);
  return slots;
}
/** An id for each unnamed slot schema; a schema several routes share (e.g. `{ id }`) gets one. */
function slotIds(io: Io): Map<z.ZodType, string> {
  const ids = new Map<z.ZodType, string>();
  for (const route of ROUTES) for (const [slot, schema, slotIo] of slotsOf(route)) if (slotIo === io && !ids.has(schema)) ids.set(schema, `~${route.operationId}~${slot}`);
  return ids;
}

/** Every named schema in the global registry, by id. */
function namedSchemas(): Map<string, z.ZodType> {
  return new Map((z.globalRegistry as unknown as { _idmap: Map<string, z.ZodType> })._idmap);
}

/** Converts the named schemas and the route slots in one pass per direction, so refs are shared. */
function convert(io: Io, suffix: string): Record<string, Json> {
  const registry = z.registry<{ id?: string; description?: string }>();
  for (const [id, schema] of namedSchemas()) registry.add(schema, { ...z.globalRegistry.get(schema), id });
  for (const [schema, id] of slotIds(io)) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, target: 'draft-2020-12', unrepresentable: 'any', uri: (id) => `${COMPONENT}${id}${suffix}` });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

/** Rewrites every `$ref` in a value. */
function mapRefs<T>(value: T, rename: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, rename)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? rename(v) : mapRefs(v, rename)])) as T;
  }
  return value;
}

function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT)) found.add(v.slice(COMPONENT.length));
      else refsIn(v, found);
    }
  }
}

/**
 * The components and each slot's schema. An input component equal to its output component
 * (once its own refs point at shared components) is dropped for the shared one.
 */
function schemas(): { components: Record<string, Json>; slot: (route: RouteSpec, slot: string, io: Io) => Json } {
  const output = convert('output', '');
  const input = convert('input', 'Input');
  const named = [...namedSchemas().keys()];
  let shared = new Set(named);
  const toShared = (ref: string): string => {
    const id = ref.slice(COMPONENT.length);
    return id.endsWith('Input') && shared.has(id.slice(0, -'Input'.length)) ? `${COMPONENT}${id.slice(0, -'Input'.length)}` : ref;
  };
  for (let changed = true; changed; ) {
    changed = false;
    const next = new Set([...shared].filter((id) => JSON.stringify(mapRefs(input[id], toShared)) === JSON.stringify(output[id])));
    if (next.size !== shared.size) {
      shared = next;
      changed = true;
    }
  }
  const components: Record<string, Json> = {};
  for (const id of named) {
    components[id] = output[id]!;
    if (!shared.has(id)) components[`${id}Input`] = mapRefs(input[id]!, toShared);
  }
  const slot = (route: RouteSpec, name: string, io: Io): Json => {
    const schema = slotsOf(route).find(([n]) => n === name)![1];
    const namedId = named.find((id) => namedSchemas().get(id) === schema);
    if (namedId) return { $ref: `${COMPONENT}${namedId}${io === 'input' && !shared.has(namedId) ? 'Input' : ''}` };
    const converted = (io === 'input' ? input : output)[slotIds(io).get(schema)!]!;
    return io === 'input' ? mapRefs(converted, toShared) : converted;
  };
  return { components, slot };
}

/** Query or path parameters from an object schema's JSON form. */
function parameters(where: 'path' | 'query', objectSchema: Json): Json[] {
  const properties = (objectSchema.properties ?? {}) as Record<string, Json>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

const errorResponse = (codes: readonly ErrorCode[]): Json => ({
  description: codes.map((c) => `${c}: ${ERROR_CATALOGUE[c].message}`).join(' '),
  content: { 'application/json': { schema: { $ref: `${COMPONENT}Error` } } },
});

function responsesOf(route: RouteSpec, okSchema: Json | null): Json {
  const responses: Record<string, Json> = {};
  const content: Json = {};
  if (okSchema) content['application/json'] = { schema: okSchema };
  if (route.ok.text) content[route.ok.text.type] = { schema: { type: 'string', description: route.ok.text.description } };
  responses[String(route.ok.status)] = { description: route.ok.description, ...(Object.keys(content).length ? { content } : {}) };

  const byStatus = new Map<number, ErrorCode[]>();
  const add = (code: ErrorCode): void => {
    const status = ERROR_CATALOGUE[code].status;
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  };
  if (route.params || route.query || route.body) add('VALIDATION_FAILED');
  if (route.body && route.bodyType !== 'text/csv' && route.access !== 'public') add('PAYLOAD_TOO_LARGE');
  if (route.access !== 'public') add('UNAUTHENTICATED');
  if (route.access === 'admin') add('FORBIDDEN');
  // The probes (health, ready) are never limited; everything else is, per address before sign-in and per user after it.
  if (route.path !== '/api/health' && route.path !== '/api/ready') add('RATE_LIMITED');
  for (const code of route.errors ?? []) add(code);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const response = errorResponse(codes);
    if (status === 401) {
      response.headers = {
        'WWW-Authenticate': {
          description: 'RFC 6750 challenge: `Bearer realm="Rapport"`, plus `error="invalid_token"` and `error_description` when a token was sent and refused.',
          schema: { type: 'string' },
        },
      };
    }
    if (status === 429) response.headers = { 'Retry-After': { description: 'Seconds until the rate-limit window resets.', schema: { type: 'integer' } } };
    responses[String(status)] = response;
  }
  // The probes have no client error of their own; Node's HTTP server still refuses oversized headers before the app runs.
  if (![...byStatus.keys()].some((status) => status < 500)) responses['431'] = { description: 'Request headers too large: Node.js answers before the app, without a body.' };
  return responses;
}

export function openApiDocument(version: string): Json {
  // Registered so the components include it even though no route names it as a slot.
  void errorBodySchema;
  const { components, slot } = schemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES) {
    const params = [...(route.params ? parameters('path', slot(route, 'params', 'input')) : []), ...(route.query ? parameters('query', slot(route, 'query', 'input')) : [])];
    const operation: Json = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary + (route.access === 'admin' ? ' (admins only)' : ''),
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(route.body ? { requestBody: { required: true, content: { [route.bodyType ?? 'application/json']: { schema: slot(route, 'body', 'input') } } } } : {}),
      responses: responsesOf(route, route.ok.schema ? slot(route, 'ok', 'output') : null),
    };
    (paths[route.path] ??= {})[route.method] = operation;
  }
  const used = new Set<string>(['Error']);
  refsIn(paths, used);
  // Components reach others: follow refs until no new one appears.
  for (let size = 0; size !== used.size; ) {
    size = used.size;
    for (const id of [...used]) refsIn(components[id], used);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rapport API',
      version,
      description: 'Account-level engagement data from Microsoft 365. Generated from api/src/contract; docs/api.md describes the behaviour.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The origin that serves the tab: the API and the tab share it.' }],
    security: [{ teamsSso: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: { teamsSso: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Teams SSO token (Entra ID). Not needed in demo mode.' } },
      schemas: Object.fromEntries(Object.entries(components).filter(([id]) => used.has(id)).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
