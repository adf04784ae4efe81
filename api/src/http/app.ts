/**
 * createApp(deps) builds the Express app without listening. The composition root (server/src/main.ts)
 * passes real dependencies and listens; tests pass fakes and use supertest.
 *
 *   /api/health, /api/ready                                                public, never rate-limited
 *   /api/openapi.json, /api/consent/callback, /api/messages                public
 *   /api/*                                                                 Teams SSO (demo: Demo Admin)
 *   /                                                                      the built tab, SPA fallback (404 for missing files)
 *
 * Limits, in order: 600 requests a minute per client address without a valid credential
 * (before authentication), 1,200 per signed-in user (after it), then JSON bodies (size per
 * route, UTF-8, nesting depth) before any schema sees them.
 */
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { AppConfig } from '../config';
import type { TenantGateway } from '../enrichment/ports';
import type { RunStateStore } from '../enrichment/run-state';
import { createServices, type Services } from '../services';
import { systemClock, type Clock, type Timer } from '../services/clock';
import type { DatasetServiceOptions } from '../services/dataset-service';
import { authenticate, createEntraTokenVerifier, identityOf, type TokenVerifier } from './auth';
import { DownloadSigner } from './download-links';
import { jsonBody } from './json-body';
import { parse } from './validate';
import { errorHandler, notFoundHandler } from './error-handler';
import { downloadBodySchema, openApiDocument } from '../contract';
import { configRoutes } from './routes/config-routes';
import { consentCallbackRoute, consentRoutes } from './routes/consent-routes';
import { datasetRoutes } from './routes/dataset-routes';
import { resultsRoutes } from './routes/results-routes';
import { runRoutes, type SseOptions } from './routes/run-routes';
import { segmentRoutes } from './routes/segment-routes';
import { anonymousRateLimiter, cspNonce, rateLimiter, securityHeaders, type RateLimitOptions } from './security';
import { staticTab } from './static-tab';
import { Lifecycle, notReadyMessage, ReadinessProbe } from './readiness';
import { AppError } from '../errors';
import type { Enricher } from '../services/run-service';
import { silentLogger, type Logger } from '../services/logger';
import type { Stores } from '../services/state';

export interface AppDeps {
  config: AppConfig;
  gateway: TenantGateway;
  /** App state, the result set and the uploaded datasets: three separate documents. */
  stores: Stores;
  /** @default the system clock */
  clock?: Clock;
  /** Timer of the run scheduler. @default the system timer */
  timer?: Timer;
  /** @default silent */
  logger?: Logger;
  /**
   * Checks Teams SSO tokens in production.
   * @default createEntraTokenVerifier with the tenant's remote JWKS and config.auth.ssoAudience
   */
  tokenVerifier?: TokenVerifier;
  /** The built tab, served at `/` (with an SPA fallback to index.html when it exists). */
  staticDir?: string;
  /** The bot's handler, mounted at POST /api/messages (it validates the Bot Framework JWT itself). */
  botHandler?: RequestHandler;
  /** Services built by the composition root; built here from the deps when absent. */
  services?: Services;
  /** @default runEnrichment (only used when `services` is absent) */
  enrich?: Enricher;
  /** Checkpoints and incremental state of runs (only used when `services` is absent). @default none: full runs */
  runState?: RunStateStore;
  datasets?: DatasetServiceOptions;
  rateLimit?: RateLimitOptions;
  sse?: SseOptions;
  /** Reported by /api/health. @default '0.1.0' */
  version?: string;
  /**
   * Shutdown state, shared with the composition root: once it begins, work-taking requests
   * answer 503 SHUTTING_DOWN and /api/ready 503. @default a lifecycle that never shuts down
   */
  lifecycle?: Lifecycle;
}

/** JSON bodies are small; the CSV upload streams past these parsers (dataset-routes.ts). */
const JSON_LIMIT = 256 * 1024;
/** The configuration: up to 2,500 org entries and 2,000 exclusions of up to 320 characters. */
const LARGE_JSON_LIMIT = 1024 * 1024;
const LARGE_JSON_ROUTES: ReadonlySet<string> = new Set(['PUT /api/config', 'POST /api/config/org/resolve']);
/**
 * Bot Framework activities are not ours to shape (cards, entities, channel data), and they are
 * parsed before the bot checks its JWT: a cap, and a looser nesting limit than the API's.
 */
const BOT_JSON_DEPTH = 64;

export function createApp(deps: AppDeps): Express {
  const logger = deps.logger ?? silentLogger;
  const services = deps.services ?? createServices({ ...deps, logger });
  const version = deps.version ?? '0.1.0';
  const verifier =
    deps.tokenVerifier ??
    (deps.config.mode === 'production' && deps.config.graph.tenantId && deps.config.auth.ssoAudience
      ? createEntraTokenVerifier({
          tenantId: deps.config.graph.tenantId,
          audience: deps.config.auth.ssoAudience,
          authorityHost: deps.config.graph.authorityHost,
          ...(deps.clock ? { clock: deps.clock } : {}),
        })
      : null);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.mode === 'production' ? 1 : false);
  app.use(cspNonce, securityHeaders());

  const json = jsonBody({ limit: JSON_LIMIT });
  const largeJson = jsonBody({ limit: LARGE_JSON_LIMIT });
  // Only application/json bodies are parsed: the CSV upload (text/csv) streams past both.
  const jsonBodies: RequestHandler = (req, res, next) => (LARGE_JSON_ROUTES.has(`${req.method} ${req.baseUrl}${req.path}`) ? largeJson : json)(req, res, next);

  // Health and readiness are for probes and load balancers: never limited, never authenticated.
  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', mode: deps.config.mode, version });
  });
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  const readiness = new ReadinessProbe({
    stores: deps.stores,
    scheduler: services.scheduler,
    gateway: deps.gateway,
    lifecycle,
    clock: deps.clock ?? systemClock,
    checkGraph: deps.config.mode === 'production',
  });
  app.get('/api/ready', (_req, res, next) => {
    readiness.checks().then((checks) => {
      if (checks.every((c) => c.ok)) res.json({ status: 'ready', checks });
      // Answered here, not by the error middleware: a probe failing every few seconds is a state, not an error to log each time.
      else sendError(res, new AppError('NOT_READY', notReadyMessage(checks), { checks }));
    }, next);
  });
  // Once shutdown begins, nothing new starts: a run, an upload or a saved configuration would be
  // cut off half-way. Reads go on until the listener closes; the bot's turns (replies to people
  // already waiting) too. Requests already inside finish before the process exits.
  app.use('/api', (req, res, next) => {
    if (!lifecycle.shuttingDown || req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.path === '/messages') return next();
    res.set('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
    sendError(res, new AppError('SHUTTING_DOWN', undefined, { retryAfterSeconds: SHUTDOWN_RETRY_AFTER_SECONDS }));
  });
  // Every other /api request counts against its client address until it proves a credential:
  // a signed-in identity, or an activity the bot accepted (it checks the Bot Framework JWT).
  app.use(
    '/api',
    anonymousRateLimiter(deps.rateLimit ?? {}, (req, res) => res.locals.identity !== undefined || (req.originalUrl.split('?', 1)[0] === '/api/messages' && res.statusCode < 400)),
  );

  // Public endpoints.
  const openapi = openApiDocument(version);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  if (deps.botHandler) app.post('/api/messages', jsonBody({ limit: LARGE_JSON_LIMIT, maxDepth: BOT_JSON_DEPTH }), deps.botHandler);
  app.use(consentCallbackRoute(services, logger));

  const downloads = new DownloadSigner(deps.clock ?? systemClock);
  const api = express.Router();
  api.use('/api', authenticate(deps.config, verifier, deps.gateway.tenantId, downloads), rateLimiter(deps.rateLimit), jsonBodies);
  api.post('/api/downloads', (req, res) => {
    const { path } = parse(downloadBodySchema, req.body, 'body');
    res.json(downloads.sign(path, identityOf(res)));
  });
  api.get('/api/me', (_req, res) => {
    const me = identityOf(res);
    res.json({ id: me.id, name: me.name, tenantId: me.tenantId, isAdmin: me.isAdmin, mode: deps.config.mode });
  });
  api.use(configRoutes(services));
  api.use(datasetRoutes(services));
  api.use(consentRoutes(services));
  api.use(runRoutes(services, deps.sse));
  api.use(resultsRoutes(services));
  api.use(segmentRoutes(services));
  api.use('/api', notFoundHandler());
  app.use(api);

  if (deps.staticDir) app.use(staticTab(deps.staticDir));
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  app.locals.services = services;
  app.locals.lifecycle = lifecycle;
  return app;
}

/** A restarted instance takes work again within about this time (App Service restarts, rolling deploys). */
const SHUTDOWN_RETRY_AFTER_SECONDS = 30;

function sendError(res: Response, error: AppError): void {
  res.status(error.status).json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
}

/** The shutdown state an app was built with (the composition root begins the shutdown on SIGTERM). */
export function lifecycleOf(app: Express): Lifecycle {
  return app.locals.lifecycle as Lifecycle;
}

/** The services an app was built with (for tests and the composition root). */
export function servicesOf(app: Express): Services {
  return app.locals.services as Services;
}
