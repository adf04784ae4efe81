/** Segments (with the built-in stale segment) and measures. */
import { Router } from 'express';
import { idParamsSchema, measureBodySchema, segmentBodySchema, segmentMembersQuerySchema, segmentPreviewBodySchema } from '../../contract';
import { officeRowsToCsv } from '../../enrichment/office-csv';
import type { Services } from '../../services';
import { measure, measureByMonth } from '../../services/measures';
import { identityOf } from '../auth';
import { parse } from '../validate';

export function segmentRoutes(services: Services): Router {
  const router = Router();

  // Member counts, members and measures are computed on the rows the caller may see.
  router.get('/api/segments', async (_req, res) => {
    res.json({ segments: await services.segments.list(identityOf(res)) });
  });

  router.post('/api/segments', async (req, res) => {
    const body = parse(segmentBodySchema, req.body, 'body');
    res.status(201).json(await services.segments.create(body, identityOf(res)));
  });

  router.post('/api/segments/preview', async (req, res) => {
    const { rule } = parse(segmentPreviewBodySchema, req.body, 'body');
    res.json(await services.segments.preview(rule, identityOf(res)));
  });

  router.get('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    res.json(await services.segments.get(id, identityOf(res)));
  });

  router.put('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    const body = parse(segmentBodySchema, req.body, 'body');
    res.json(await services.segments.update(id, body, identityOf(res)));
  });

  router.delete('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    await services.segments.delete(id);
    res.status(204).end();
  });

  router.get('/api/segments/:id/members', async (req, res) => {
    const { id } = parse(idParamsSchema, req.params, 'params');
    const { format } = parse(segmentMembersQuerySchema, req.query, 'query');
    const viewer = identityOf(res);
    const [result, threshold] = await Promise.all([services.segments.members(id, viewer), services.results.privacyThreshold(viewer)]);
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`segment-${id}.csv`)
        .send(officeRowsToCsv(result.members, { activityHiddenColumn: threshold !== null }));
      return;
    }
    res.json(result);
  });

  router.post('/api/measures', async (req, res) => {
    const body = parse(measureBodySchema, req.body, 'body');
    const viewer = identityOf(res);
    const rule = body.segmentId ? await services.segments.ruleOf(body.segmentId) : null;
    const years = rule ? await services.segments.select(rule, viewer) : await services.results.yearRows(viewer);
    const value = measure(years, body.fn, body.column);
    if (!body.byMonth) {
      res.json({ value });
      return;
    }
    const members = new Set(years.map((r) => r.AccountId));
    // Month rows are read from the result files on demand; only the segment's accounts are kept.
    const months = (await services.results.filtered({ level: 'month' }, viewer)).rows.filter((r) => members.has(r.AccountId));
    res.json({ value, byMonth: measureByMonth(months, body.fn, body.column) });
  });

  return router;
}
