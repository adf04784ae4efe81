/**
 * The Graph-compatible tenant simulator: an Express server on loopback serving `/v1.0`
 * (see graph-routes.ts) and the identity endpoints Rapport's OAuth client and consent
 * flow talk to (token, OpenID metadata, JWKS, admin consent).
 */
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Directory } from './directory';
import { FaultInjector, MailboxConcurrency, resolveFaults, type FaultOptions, type ResolvedFaults } from './faults';
import { loadFixture, tenantStoreFromObject, type TenantFixtureInput, type TenantStore } from './fixture';
import { emptyStats, dispatch, dispatchBatch, JsonBody, type GraphContext, type GraphResponse, type RequestKind, type SimulatorStats } from './graph-routes';
import { consentPageHtml, DEMO_CLIENT, GRAPH_AUDIENCE, Identity, MAILBOX_ROLES, RAPPORT_ROLES, type SimulatorClient } from './identity';
import { LiveMailboxes } from './live-mailbox';
import { graphErrorBody, newRequestId } from './odata';

export interface SimulatorOptions {
  /** A fixture file or folder path, a loaded store, or a fixture object. */
  tenant: string | TenantStore | TenantFixtureInput;
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** OAuth clients that may get tokens. @default [DEMO_CLIENT] */
  clients?: SimulatorClient[];
  /** Seeded fault injection on the `/v1.0` data routes. */
  faults?: FaultOptions;
  /** Consent state at start. @default { granted: false } */
  consent?: ConsentOptions;
  /** Roles that accepting the consent page grants; fewer than four lets tests show missing permissions. @default RAPPORT_ROLES */
  grantableRoles?: string[];
  /** Lifetime of issued tokens. @default 3599 */
  tokenLifetimeSeconds?: number;
}

export interface ConsentOptions {
  granted: boolean;
  /** Roles in the token once granted. @default the grantable roles, less the mailbox roles when `exchangeRbacScope` is set */
  roles?: string[];
  /**
   * RBAC for Applications in Exchange Online: mailboxes (user ids, UPNs or addresses) that an
   * Exchange role assignment lets the app read mail and calendars of. The token then carries no
   * Mail/Calendars roles (unless `roles` names them), and mail and calendar requests succeed for
   * these mailboxes only; others get 403 ErrorAccessDenied.
   * https://learn.microsoft.com/exchange/permissions-exo/application-rbac
   */
  exchangeRbacScope?: string[];
}

export interface ConsentControl {
  readonly granted: boolean;
  readonly roles: string[];
  /** The Exchange RBAC scope (see ConsentOptions), or undefined when mailbox access comes from Entra roles only. */
  readonly exchangeRbacScope: string[] | undefined;
  /**
   * Grants roles as an accepted consent would. @default the grantable roles (less the mailbox
   * roles while an Exchange RBAC scope is set). `exchangeRbacScope` replaces the scope; without
   * it the scope is kept, as an Entra consent leaves Exchange role assignments alone.
   */
  grant(roles?: string[], opts?: { exchangeRbacScope?: string[] | undefined }): void;
  /** Withdraws the consent and the Exchange RBAC scope. */
  revoke(): void;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:PORT; also the authority host: `${url}/${tenantId}/oauth2/v2.0/token`. */
  url: string;
  /** `${url}/v1.0` */
  graphBaseUrl: string;
  tenantId: string;
  /** `${url}/${tenantId}/oauth2/v2.0/token` */
  tokenUrl: string;
  clients: SimulatorClient[];
  store: TenantStore;
  consent: ConsentControl;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Replaces the fault configuration (and restarts the fault draws and the live-mailbox changes). */
  setFaults(f: FaultOptions): void;
  faults(): ResolvedFaults;
  /** Signs a token directly, for tests of expired tokens or wrong audiences. */
  issueToken(opts?: { clientId?: string; roles?: string[]; expiresInSeconds?: number; audience?: string }): Promise<string>;
  close(): Promise<void>;
}

function kindOf(path: string): RequestKind {
  const p = path.toLowerCase();
  if (p.includes('/oauth2/')) return 'token';
  if (p.includes('/adminconsent')) return 'consent';
  return 'metadata';
}

function aadError(res: Response, status: number, error: string, code: number, description: string): void {
  res.status(status).json({
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${newRequestId()}\r\nCorrelation ID: ${newRequestId()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: newRequestId(),
    correlation_id: newRequestId(),
  });
}

function send(res: Response, r: GraphResponse): void {
  if (r.drop) {
    res.socket?.destroy();
    return;
  }
  for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
  if (r.body instanceof JsonBody) {
    const type = res.getHeader('Content-Type');
    if (typeof type === 'string') res.setHeader('Content-Type', withUtf8Charset(type));
    const body = r.body;
    // Once the socket has taken the bytes; an aborted response leaves them to the GC instead.
    res.once('finish', () => body.release());
    res.status(r.status).send(body.bytes);
    return;
  }
  res.status(r.status).send(r.body === undefined ? '' : JSON.stringify(r.body));
}

/**
 * The Content-Type express's `res.send(string)` sends for `type` (its setCharset: media type and
 * parameter names lower-cased, parameters joined by "; ", charset utf-8). Bytes are sent with
 * the header as set, so a body sent as bytes gets this one to match a body sent as text.
 */
export function withUtf8Charset(type: string): string {
  const [media = '', ...params] = type.split(';').map((p) => p.trim());
  const byName = new Map<string, string>();
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0) byName.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  byName.set('charset', 'utf-8');
  return [media.toLowerCase(), ...[...byName].map(([k, v]) => `${k}=${v}`)].join('; ');
}

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const store =
    typeof opts.tenant === 'string'
      ? loadFixture(opts.tenant)
      : 'hasMailbox' in opts.tenant && typeof opts.tenant.hasMailbox === 'function'
        ? (opts.tenant as TenantStore)
        : tenantStoreFromObject(opts.tenant);
  const tenantId = store.organization.id;
  const clients = opts.clients ?? [DEMO_CLIENT];
  const grantable = opts.grantableRoles ?? [...RAPPORT_ROLES];
  const lifetime = opts.tokenLifetimeSeconds ?? 3599;
  let baseUrl = '';
  const identity = await Identity.create(tenantId, () => baseUrl);
  const consentState: { granted: boolean; roles: string[]; rbacScope: string[] | undefined } = { granted: false, roles: [], rbacScope: undefined };
  let rbacKeys: ReadonlySet<string> | undefined;
  const consent: ConsentControl = {
    get granted() {
      return consentState.granted;
    },
    get roles() {
      return [...consentState.roles];
    },
    get exchangeRbacScope() {
      return consentState.rbacScope ? [...consentState.rbacScope] : undefined;
    },
    grant(roles, o) {
      if (o && 'exchangeRbacScope' in o) consentState.rbacScope = o.exchangeRbacScope ? [...o.exchangeRbacScope] : undefined;
      rbacKeys = consentState.rbacScope ? new Set(consentState.rbacScope.map((k) => k.toLowerCase())) : undefined;
      consentState.granted = true;
      // With Exchange RBAC the mailbox permissions come from Exchange, not from the token.
      consentState.roles = [...(roles ?? (consentState.rbacScope ? grantable.filter((r) => !MAILBOX_ROLES.has(r)) : grantable))];
    },
    revoke() {
      consentState.granted = false;
      consentState.roles = [];
      consentState.rbacScope = undefined;
      rbacKeys = undefined;
    },
  };
  if (opts.consent?.exchangeRbacScope) consentState.rbacScope = [...opts.consent.exchangeRbacScope];
  if (opts.consent?.granted) consent.grant(opts.consent.roles);
  const ctx: GraphContext = {
    store,
    directory: new Directory(store),
    identity,
    faults: new FaultInjector(resolveFaults(opts.faults)),
    concurrency: new MailboxConcurrency(),
    live: new LiveMailboxes(),
    stats: emptyStats(),
    graphBaseUrl: () => `${baseUrl}/v1.0`,
    // An Exchange role assignment only takes effect once the app is consented in the tenant.
    exchangeRbacScope: () => (consentState.granted ? rbacKeys : undefined),
  };
  const tenantMatches = (t: string): boolean =>
    t.toLowerCase() === tenantId.toLowerCase() || store.organization.verifiedDomains.some((d) => d.name.toLowerCase() === t.toLowerCase());
  const findClient = (id: unknown): SimulatorClient | undefined => clients.find((c) => c.clientId === id);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // ---- Graph ----
  app.use('/v1.0', express.json({ limit: '4mb', type: () => true }), async (req: Request, res: Response) => {
    ctx.stats.httpRequests++;
    const url = req.originalUrl.replace(/^\/v1\.0/i, '') || '/';
    const headers = req.headers as Record<string, string | undefined>;
    if (req.method === 'POST' && /^\/\$batch(\?|$)/i.test(url) && (await identity.verify(headers.authorization)).ok) {
      // Only a dropped connection applies to the batch envelope; other faults apply per sub-request.
      if (ctx.faults.draw(`POST /$batch ${JSON.stringify(req.body ?? null)}`) === 'drop') {
        ctx.stats.faultsInjected.drop++;
        res.socket?.destroy();
        return;
      }
      const r = await dispatchBatch(ctx, req.body, headers);
      ctx.stats.requests++;
      ctx.stats.byKind.batch = (ctx.stats.byKind.batch ?? 0) + 1;
      ctx.stats.byStatus[r.status] = (ctx.stats.byStatus[r.status] ?? 0) + 1;
      return send(res, r);
    }
    send(res, await dispatch(ctx, { method: req.method, url, headers }));
  });

  // ---- Identity (never faulted) ----
  app.use((req, _res, next) => {
    if (!req.path.startsWith('/v1.0')) {
      const k = kindOf(req.path);
      ctx.stats.byKind[k] = (ctx.stats.byKind[k] ?? 0) + 1;
    }
    next();
  });
  app.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    const tenant = String(req.params.tenant);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (!tenantMatches(tenant)) return aadError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    let clientId = body.client_id;
    let secret = body.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, s] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      secret = decodeURIComponent(s ?? '');
    }
    if (body.grant_type !== 'client_credentials') {
      return aadError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${body.grant_type ?? ''}'.`);
    }
    const client = findClient(clientId);
    if (!client) {
      return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant}'.`);
    }
    if (secret !== client.clientSecret) {
      return aadError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`);
    }
    const scope = (body.scope ?? '').trim();
    if (scope !== `${GRAPH_AUDIENCE}/.default` && scope !== '00000003-0000-0000-c000-000000000000/.default') {
      return aadError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    void identity
      .issue({ clientId: client.clientId, roles: consentState.granted ? consentState.roles : [], expiresInSeconds: lifetime })
      .then((token) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
      });
  });
  app.get('/:tenant/v2.0/.well-known/openid-configuration', (req: Request, res: Response) => {
    if (!tenantMatches(String(req.params.tenant))) return aadError(res, 400, 'invalid_tenant', 90002, `Tenant '${String(req.params.tenant)}' not found.`);
    res.json(identity.openIdConfiguration());
  });
  app.get('/:tenant/discovery/v2.0/keys', (_req: Request, res: Response) => {
    res.json(identity.jwks());
  });
  app.get('/:tenant/adminconsent', (req: Request, res: Response) => {
    const q = req.query as Record<string, string | undefined>;
    const problem = consentProblem(String(req.params.tenant), q.client_id, q.redirect_uri);
    if (problem) return void res.status(400).type('html').send(errorPage(problem));
    const client = findClient(q.client_id)!;
    res
      .type('html')
      .send(
        consentPageHtml({
          tenant: tenantId,
          appName: client.displayName ?? 'Rapport',
          clientId: client.clientId,
          redirectUri: q.redirect_uri!,
          state: q.state ?? '',
          roles: RAPPORT_ROLES,
        }),
      );
  });
  app.post('/:tenant/adminconsent/decision', express.urlencoded({ extended: false }), express.json(), (req: Request, res: Response) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    const problem = consentProblem(String(req.params.tenant), b.client_id, b.redirect_uri);
    if (problem) return void res.status(400).type('html').send(errorPage(problem));
    const target = new URL(b.redirect_uri!);
    if (b.decision === 'accept') {
      consent.grant();
      target.searchParams.set('admin_consent', 'True');
      target.searchParams.set('tenant', tenantId);
    } else {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    }
    if (b.state !== undefined && b.state !== '') target.searchParams.set('state', b.state);
    res.redirect(302, target.toString());
  });

  function consentProblem(tenant: string, clientId: string | undefined, redirectUri: string | undefined): string | undefined {
    if (!tenantMatches(tenant)) return `AADSTS90002: Tenant '${tenant}' not found.`;
    const client = findClient(clientId);
    if (!client) return `AADSTS700016: Application with identifier '${clientId ?? ''}' was not found in the directory.`;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(redirectUri ?? '').protocol);
    } catch {
      ok = false;
    }
    if (!ok || (client.redirectUris && !client.redirectUris.includes(redirectUri!))) {
      return `AADSTS50011: The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'.`;
    }
    return undefined;
  }

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', error_description: `No simulator route for ${req.method} ${req.path}` });
  });
  // Body parse errors and anything unexpected: a Graph-shaped answer.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    const id = newRequestId();
    res.status(status >= 400 && status < 600 ? status : 500).json(graphErrorBody(status === 400 ? 'BadRequest' : 'InternalServerError', (err as Error).message ?? 'error', id, req.headers['client-request-id'] as string | undefined));
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
    s.on('error', reject);
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  baseUrl = `http://${host}:${addr.port}`;

  return {
    url: baseUrl,
    graphBaseUrl: `${baseUrl}/v1.0`,
    tenantId,
    tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    clients,
    store,
    consent,
    stats: () => structuredClone(ctx.stats),
    resetStats: () => {
      ctx.stats = emptyStats();
      ctx.concurrency.resetMax();
    },
    setFaults: (f) => {
      ctx.faults.set(f);
      // The live-mailbox fault restarts too: every mailbox is back to the fixture's state.
      ctx.live.reset();
    },
    faults: () => ctx.faults.config,
    issueToken: (o = {}) =>
      identity.issue({
        clientId: o.clientId ?? clients[0]?.clientId ?? DEMO_CLIENT.clientId,
        roles: o.roles ?? consentState.roles,
        expiresInSeconds: o.expiresInSeconds ?? lifetime,
        ...(o.audience ? { audience: o.audience } : {}),
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function errorPage(message: string): string {
  const esc = message.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in error</title></head><body><main><h1>Sorry, but we're having trouble signing you in.</h1><p>${esc}</p></main></body></html>`;
}
