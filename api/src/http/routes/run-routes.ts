/** Runs: "Run now", cancel, history, the polling view and the SSE progress stream. */
import { Router } from 'express';
import { idParamsSchema, runBodySchema, runListQuerySchema } from '../../contract';
import type { Services } from '../../services';
import { finalEventOf, type RunEvent } from '../../services/run-types';
import { identityOf, requireAdmin } from '../auth';
import { parse } from '../validate';

export interface SseOptions {
  /** Comment lines that keep proxies from closing an idle stream. @default 15_000 */
  heartbeatMs?: number;
}

export function runRoutes(services: Services, sse: SseOptions = {}): Router {
  const router = Router();

  router.post('/api/runs', requireAdmin, async (req, res) => {
    const body = parse(runBodySchema, req.body, 'body');
    const summary = await services.runs.start('manual', identityOf(res), body);
    res.status(202).location(`/api/runs/${summary.id}`).json(summary);
  });

  router.get('/api/runs', async (req, res) => {
    const { limit } = parse(runListQuerySchema, req.query, 'query');
    const [runs, current] = await Promise.all([services.runs.list(limit), services.runs.currentResults()]);
    res.json({ runs, current });
  });

  /**
   * Cancels a running run. Answers with the run once it has stopped (status `cancelled`), or,
   * should winding down take more than a few seconds, as it is then (still `running`, with
   * `cancelledBy` set); 409 RUN_NOT_RUNNING when it has already ended or is committing.
   */
  router.post('/api/runs/:id/cancel', requireAdmin, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await services.runs.cancel(id, identityOf(res)));
  });

  router.get('/api/runs/:id', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await services.runs.get(id));
  });

  /**
   * Server-sent events: the current progress first, then every later `progress`, then `done`
   * (the RunSummary) or `failed`, and the stream closes. A late subscriber to an ended run
   * gets its last progress and its final event at once.
   */
  router.get('/api/runs/:id/events', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    let ready = false;
    let closed = false;
    let seq = 0;
    const queued: RunEvent[] = [];
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let unsubscribe: (() => void) | null = null;
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      unsubscribe?.();
      res.end();
    };
    const send = (event: RunEvent): void => {
      if (closed) return;
      seq += 1;
      res.write(`id: ${seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      if (event.type !== 'progress') close();
    };
    const listener = (event: RunEvent): void => {
      if (ready) send(event);
      else queued.push(event);
    };
    // Throws NOT_FOUND before any header is written, so the error middleware answers JSON.
    const subscription = await services.runs.subscribe(id, listener);
    unsubscribe = subscription.unsubscribe;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.on('close', close);
    res.write('retry: 3000\n\n');
    send({ type: 'progress', data: subscription.summary.progress });
    if (!subscription.unsubscribe) {
      send(finalEventOf(subscription.summary));
      return;
    }
    ready = true;
    for (const event of queued.splice(0)) send(event);
    if (!closed) {
      heartbeat = setInterval(() => res.write(': heartbeat\n\n'), sse.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
    }
  });

  return router;
}
