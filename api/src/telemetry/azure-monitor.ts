/**
 * The Telemetry port on OpenTelemetry, exported through the Azure Monitor distribution
 * (`@azure/monitor-opentelemetry`) to Application Insights. Installed only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set (server/src/main.ts).
 *
 * Every automatic instrumentation is off on purpose: the HTTP one would export each outgoing
 * Graph URL (`/users/{id}/messages?$filter=…`, mailbox ids and addresses in clear) and each
 * incoming API path; the console, Bunyan and Winston ones would export log text. Rapport's own
 * spans (run, mailbox, Graph request, bot turn, proactive send) carry only the attributes
 * telemetry.ts allows, and its log lines carry the trace id instead (correlatedLogger).
 */
import { isSpanContextValid, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { errorCodeOf, SPAN, type Telemetry } from './telemetry';

export interface AzureMonitorTelemetryOptions {
  connectionString: string;
  /** Extra span processors, e.g. an in-memory exporter in the privacy test. */
  spanProcessors?: SpanProcessor[];
  /** Extra metric readers, likewise. */
  metricReaders?: MetricReader[];
  /** Keep batches that could not be sent on disk and retry them later. @default true */
  offlineStorage?: boolean;
}

const CLIENT_SPANS = new Set<string>([SPAN.graphRequest, SPAN.proactiveSend]);
const SERVER_SPANS = new Set<string>([SPAN.botTurn]);

export async function startAzureMonitorTelemetry(options: AzureMonitorTelemetryOptions): Promise<Telemetry> {
  // Loaded only when telemetry is on: the distribution brings the whole OpenTelemetry SDK, which a
  // demo start does not need to load.
  const { shutdownAzureMonitor, useAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const off = { enabled: false };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: options.connectionString, disableOfflineStorage: options.offlineStorage === false },
    // Every trace: runs are weekly and an operator asks about one slow run, not a sample of them.
    samplingRatio: 1,
    tracesPerSecond: 0,
    enableLiveMetrics: false,
    instrumentationOptions: { http: off, azureSdk: off, mongoDb: off, mySql: off, postgreSql: off, redis: off, redis4: off, bunyan: off, winston: off, console: off },
    browserSdkLoaderOptions: { enabled: false },
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    ...(options.metricReaders ? { metricReaders: options.metricReaders } : {}),
  });
  const tracer = trace.getTracer('rapport');
  const meter = metrics.getMeter('rapport');
  const runDuration = meter.createHistogram('rapport.run.duration', { unit: 's', description: 'How long an enrichment run took, by outcome.' });
  const runs = meter.createCounter('rapport.runs', { description: 'Enrichment runs that ended, by outcome.' });
  const failedMailboxes = meter.createCounter('rapport.run.failed_mailboxes', { description: 'Mailboxes a run could not read.' });
  const graphRequests = meter.createCounter('rapport.graph.requests', { description: 'Microsoft Graph requests, by final status.' });
  const pages = meter.createCounter('rapport.graph.pages', { description: 'Collection pages read from Microsoft Graph.' });
  const throttled = meter.createCounter('rapport.graph.throttled', { description: 'Responses with status 429 (Too Many Requests), retried ones included.' });
  const throttleWait = meter.createCounter('rapport.graph.throttle_wait', { unit: 'ms', description: 'Time spent waiting as Retry-After asked.' });
  const retries = meter.createCounter('rapport.graph.retries', { description: 'Retried Graph requests (throttling, 5xx, dropped connections).' });

  return {
    span: (name, attributes, fn) => {
      const kind = CLIENT_SPANS.has(name) ? SpanKind.CLIENT : SERVER_SPANS.has(name) ? SpanKind.SERVER : SpanKind.INTERNAL;
      return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
        try {
          const result = await fn({ set: (a) => span.setAttributes(a) });
          return result;
        } catch (e) {
          // The code only: an error's message may quote an address or a subject.
          const code = errorCodeOf(e);
          span.setAttribute('error.type', code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: code });
          throw e;
        } finally {
          span.end();
        }
      });
    },
    graphRequest: (r) => {
      const status = r.status === null ? 'network' : String(r.status);
      graphRequests.add(1, { 'http.response.status_code': status });
      if (r.page) pages.add(1);
      if (r.throttled429 > 0) throttled.add(r.throttled429);
      if (r.throttleWaitMs > 0) throttleWait.add(r.throttleWaitMs);
      if (r.retries > 0) retries.add(r.retries);
    },
    runEnded: (r) => {
      runDuration.record(r.durationMs / 1000, { 'rapport.run.status': r.status });
      runs.add(1, { 'rapport.run.status': r.status });
      if (r.failedMailboxes > 0) failedMailboxes.add(r.failedMailboxes);
    },
    correlation: () => {
      const context = trace.getActiveSpan()?.spanContext();
      return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : null;
    },
    shutdown: () => shutdownAzureMonitor(),
  };
}
