/**
 * Issue 15 "Done when": the spans and metrics of a demo run, exported through the Azure Monitor
 * distribution, hold the run, mailbox and Graph-request spans with their throttling attributes,
 * and no address, subject, body or mailbox id, neither in the OpenTelemetry data (an in-memory
 * exporter) nor in what the Azure Monitor exporter sends (a loopback ingestion endpoint).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:https';
import os from 'node:os';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { correlatedLogger, installTelemetry, SPAN, startAzureMonitorTelemetry } from '../../api/src/telemetry';
import type { Logger } from '../../api/src/services/logger';
import { configure, consent, runNow, startHarness, type Harness } from '../api/support/harness';
import { handMadeTenant } from '../api/support/tenant';

jest.setTimeout(60_000);

/** Every address, subject, body and id in the tenant: none may leave the process as telemetry. */
function secretsOf(fixture: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/@/.test(value) || ['subject', 'content', 'bodyPreview', 'id', 'displayName', 'mail', 'userPrincipalName'].includes(key)) {
        if (value.length >= 4) found.add(value.toLowerCase());
      }
      return;
    }
    if (Array.isArray(value)) return value.forEach((v) => walk(v, key));
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.length >= 4 && key === 'mailboxes') found.add(k.toLowerCase());
        walk(v, k);
      }
    }
  };
  walk(fixture, '');
  // Folder ids and the like are not personal, but mailbox ids and addresses are: keep the test strict.
  return [...found];
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}

describe('telemetry of a demo run', () => {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const received: string[] = [];
  let ingestion: Server;
  let h: Harness;
  let uninstall: () => void;
  const logged: Record<string, unknown>[] = [];
  const finished: ReadableSpan[] = [];
  let exportedMetrics: ResourceMetrics[] = [];

  beforeAll(async () => {
    // The exporter speaks HTTPS only: a throw-away self-signed certificate for the loopback endpoint.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rapport-ingestion-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
    rmSync(dir, { recursive: true, force: true });
    // This worker only: the exporter trusts that certificate as it would a real ingestion endpoint's.
    setDefaultCACertificates([...getCACertificates('default'), tls.cert.toString('utf8')]);
    ingestion = createServer(tls, (req, res) => {
      void bodyOf(req).then((body) => {
        received.push(body);
        const items = body.split('\n').filter(Boolean).length;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
    const port = (ingestion.address() as { port: number }).port;
    const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
    const t = await startAzureMonitorTelemetry({
      connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/`,
      // A recording processor (SimpleSpanProcessor from another sdk-trace-base copy drops the spans).
      spanProcessors: [{ onStart: () => {}, onEnd: (span: ReadableSpan) => void finished.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
      metricReaders: [metricReader],
      offlineStorage: false,
    });
    uninstall = installTelemetry(t);
    const recording: Logger = {
      debug: (message, fields) => logged.push({ message, ...fields }),
      info: (message, fields) => logged.push({ message, ...fields }),
      warn: (message, fields) => logged.push({ message, ...fields }),
      error: (message, fields) => logged.push({ message, ...fields }),
    };
    // One request in four answers 429 with Retry-After: the throttling attributes get values.
    h = await startHarness({ simulator: { faults: { seed: 7, rate429: 0.25, retryAfterSeconds: 0.01 } }, logger: correlatedLogger(recording) });
    await configure(h);
    expect((await consent(h)).status).toBeLessThan(400);
    const run = await runNow(h);
    expect(run.status).toBe('succeeded');
    // A line logged inside a span (a bot turn here) carries that span's trace and span ids.
    await t.span(SPAN.botTurn, {}, async () => correlatedLogger(recording).info('inside a turn'));
    correlatedLogger(recording).info('outside any span');
    await metricReader.forceFlush();
    // Kept before shutdown, which empties the in-memory exporter (and flushes the wire).
    exportedMetrics = [...metricExporter.getMetrics()];
    await t.shutdown();
  });

  afterAll(async () => {
    uninstall?.();
    await h?.close();
    await new Promise<void>((resolve) => ingestion?.close(() => resolve()));
  });

  it('exports a run span with the mailbox spans and the Graph-request spans under it', () => {
    const run = finished.filter((s) => s.name === SPAN.run);
    expect(run).toHaveLength(1);
    const traceId = run[0]!.spanContext().traceId;
    const mailboxes = finished.filter((s) => s.name === SPAN.mailbox);
    expect(mailboxes.length).toBeGreaterThanOrEqual(2);
    for (const m of mailboxes) {
      expect(m.spanContext().traceId).toBe(traceId);
      expect(m.parentSpanContext?.spanId).toBe(run[0]!.spanContext().spanId);
      expect(m.attributes['rapport.mailbox.ref']).toMatch(/^[0-9a-f]{16}$/);
    }
    const requests = finished.filter((s) => s.name === SPAN.graphRequest);
    expect(requests.length).toBeGreaterThan(mailboxes.length);
    // Requests made while collecting a mailbox hang under that mailbox's span.
    const mailboxSpanIds = new Set(mailboxes.map((m) => m.spanContext().spanId));
    expect(requests.some((r) => mailboxSpanIds.has(r.parentSpanContext?.spanId ?? ''))).toBe(true);
    for (const r of requests) {
      expect(r.attributes['http.response.status_code']).toEqual(expect.any(Number));
      expect(r.attributes['rapport.graph.retry_count']).toEqual(expect.any(Number));
      expect(r.attributes['rapport.graph.throttle_wait_ms']).toEqual(expect.any(Number));
    }
    const throttled = requests.filter((r) => (r.attributes['rapport.graph.retry_count'] as number) > 0);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((r) => (r.attributes['rapport.graph.throttle_wait_ms'] as number) > 0)).toBe(true);
    expect(run[0]!.attributes['rapport.graph.throttle_waits']).toBeGreaterThan(0);
    expect(run[0]!.attributes['rapport.run.status']).toBe('succeeded');
  });

  it('exports the run duration, pages, throttling and failed-mailbox metrics', () => {
    const names = new Set(exportedMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name))));
    for (const name of ['rapport.run.duration', 'rapport.runs', 'rapport.graph.pages', 'rapport.graph.throttled', 'rapport.graph.requests']) expect(names).toContain(name);
    const throttled = exportedMetrics
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .find((m) => m.descriptor.name === 'rapport.graph.throttled');
    expect(throttled!.dataPoints[0]!.value).toBeGreaterThan(0);
  });

  it('puts the trace and span ids in the log entries written inside a span, and only there', () => {
    const turn = finished.find((s) => s.name === SPAN.botTurn)!;
    const inside = logged.find((e) => e.message === 'inside a turn')!;
    expect(inside).toMatchObject({ trace_id: turn.spanContext().traceId, span_id: turn.spanContext().spanId });
    expect(logged.find((e) => e.message === 'outside any span')).not.toHaveProperty('trace_id');
  });

  it('exports no address, subject, body or mailbox id, in the spans, the metrics or on the wire', () => {
    const secrets = secretsOf(handMadeTenant());
    expect(secrets.length).toBeGreaterThan(10);
    expect(received.length).toBeGreaterThan(0);
    const wire = received.join('\n');
    // The loopback endpoint got the run's spans as Application Insights items.
    expect(wire).toContain(SPAN.mailbox);
    const exported = [
      JSON.stringify(finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, resource: s.resource.attributes }))),
      JSON.stringify(exportedMetrics),
      wire,
    ]
      .join('\n')
      .toLowerCase();
    const leaked = secrets.filter((s) => exported.includes(s));
    expect(leaked).toEqual([]);
    expect(exported).not.toMatch(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/);
  });
});
