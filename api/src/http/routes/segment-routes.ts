/** Segments (with the built-in stale segment) and measures. */
import { Router } from 'express';
import { z } from 'zod';
import { officeRowsToCsv } from '../../enrichment/office-csv';
import type { Services } from '../../services';
import { measure, measureBodySchema, measureByMonth } from '../../services/measures';
import { segmentRuleSchema } from '../../services/segment-rules';
import { identityOf } from '../auth';
import { parse } from '../validate';

const segmentBodySchema = z.object({
  name: z.string().trim().min(1, 'give the segment a name').max(100),
  rule: segmentRuleSchema,
});
const previewBodySchema = z.object({ rule: segmentRuleSchema });
const idParams = z.object({ id: z.string().min(1).max(100) });
const membersQuery = z.object({ format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).default('json') });

export function segmentRoutes(services: Services): Router {
  const router = Router();

  router.get('/api/segments', async (_req, res) => {
    res.json({ segments: await services.segments.list() });
  });

  router.post('/api/segments', async (req, res) => {
    const body = parse(segmentBodySchema, req.body, 'body');
    res.status(201).json(await services.segments.create(body, identityOf(res)));
  });

  router.post('/api/segments/preview', async (req, res) => {
    const { rule } = parse(previewBodySchema, req.body, 'body');
    res.json(await services.segments.preview(rule));
  });

  router.get('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    res.json(await services.segments.get(id));
  });

  router.put('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(segmentBodySchema, req.body, 'body');
    res.json(await services.segments.update(id, body));
  });

  router.delete('/api/segments/:id', async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    await services.segments.delete(id);
    res.status(204).end();
  });

  router.get('/api/segments/:id/members', async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    const { format } = parse(membersQuery, req.query, 'query');
    const result = await services.segments.members(id);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`segment-${id}.csv`).send(officeRowsToCsv(result.members));
      return;
    }
    res.json(result);
  });

  router.post('/api/measures', async (req, res) => {
    const body = parse(measureBodySchema, req.body, 'body');
    const rule = body.segmentId ? await services.segments.ruleOf(body.segmentId) : null;
    const years = rule ? await services.segments.select(rule) : await services.results.yearRows();
    const value = measure(years, body.fn, body.column);
    if (!body.byMonth) {
      res.json({ value });
      return;
    }
    const members = new Set(years.map((r) => r.AccountId));
    const months = ((await services.results.current())?.office ?? []).filter((r) => r.AggregationLevel === 'month' && members.has(r.AccountId));
    res.json({ value, byMonth: measureByMonth(months, body.fn, body.column) });
  });

  return router;
}
