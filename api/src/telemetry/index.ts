/** Telemetry: the port every layer records through, and its Azure Monitor implementation. */
export { telemetry, installTelemetry, noTelemetry, mailboxRef, errorCodeOf, SPAN } from './telemetry';
export type { Telemetry, SpanScope, Attributes, GraphRequestRecord, RunRecord } from './telemetry';
export { startAzureMonitorTelemetry, type AzureMonitorTelemetryOptions } from './azure-monitor';
export { correlatedLogger } from './correlated-logger';
