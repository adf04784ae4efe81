/**
 * The API's front door: everything a composition root (server/src/main.ts) may use. Nothing
 * outside api/ reaches past this file into `api/src/**`; ESLint's `rapport/import-zones` rule
 * enforces it (docs/architecture.md "Packages and their front doors"). Tests and scripts are
 * exempt: they exercise internals on purpose.
 *
 * What is exported is what it takes to stand the API up: the config, the stores, the tenant
 * gateway, the services, the Express app, demo mode, and the types the bot adapter reads.
 */

// Configuration and errors.
export { loadConfig, redactedConfig, type AppConfig } from './config';
export { AppError, isAppError, type ErrorCode } from './errors';

// Stores: every store under DATA_DIR, opened with its rule for a damaged file.
export { LowdbDocument } from './store/lowdb-document';
export type { DocumentStore } from './store/document-store';
export { openStores, type OpenedStores, type OpenStoresOptions } from './store/open-stores';

// The tenant (Graph in production, the embedded simulator in demo mode) and demo mode.
export { createProductionGateway, createSimulatorGateway, type GatewayOptions } from './bootstrap/tenant-gateway';
export { bootstrapDemo, startDemoTenant, type DemoTenant } from './bootstrap/demo';

// Use cases and the HTTP app.
export { createServices, createLogger, withFields, type Logger, type LogLevel, type RunSummary, type Services } from './services';
export { createApp, type AppDeps } from './http/app';
// Life cycle: readiness, graceful shutdown, and the lease that elects one scheduler.
export { Lifecycle } from './http/readiness';
export { FileLease, type Lease } from './services/lease';
export { schedulerBlobLease } from './services/lease-blob';

// Telemetry (Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set) and log correlation.
export { correlatedLogger, installTelemetry, SPAN, startAzureMonitorTelemetry, telemetry, type Telemetry } from './telemetry';

// The bounded worker pool (the bot's fan-out gets it injected).
export { mapBounded } from './lib/map-bounded';

// The result shapes other packages read (the bot's adapter maps them onto its own port).
export type { OfficeRow } from './engagement/types';
export type { OfficeRowView, RowPrivacy } from './engagement/row-privacy';
export type { Viewer } from './services/results-service';
