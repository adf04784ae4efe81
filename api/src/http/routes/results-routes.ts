/** Results: overview, the Office table and its exports, the user table, customer cards, search. */
import { Router } from 'express';
import { z } from 'zod';
import { OFFICE_COLUMNS } from '../../engagement/types';
import { officeRowsToCsv } from '../../enrichment/office-csv';
import type { Services } from '../../services';
import { identityOf, requireAdmin } from '../auth';
import { parse } from '../validate';

export const officeFilterSchema = z.object({
  level: z.enum(['year', 'month', 'week'], { message: 'must be year, month or week' }).default('year'),
  bucket: z.string().trim().max(40).optional(),
  q: z.string().trim().max(200).optional(),
  band: z.enum(['High', 'Medium', 'Low'], { message: 'must be High, Medium or Low' }).optional(),
  sort: z.enum(OFFICE_COLUMNS, { message: 'must be one of the Office columns' }).optional(),
  order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).optional(),
});
export const officePageSchema = officeFilterSchema.extend({
  page: z.coerce.number().int().min(1, 'pages start at 1').default(1),
  pageSize: z.coerce.number().int().min(1).max(500, 'at most 500 rows per page').default(50),
});
const searchSchema = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const accountParams = z.object({ accountId: z.string().min(1).max(500) });

export function resultsRoutes(services: Services): Router {
  const router = Router();

  // Rows are shaped for the caller (admins see all; others through the privacy threshold).
  router.get('/api/results/overview', async (_req, res) => {
    res.json(await services.results.overview(identityOf(res)));
  });

  router.get('/api/results/office', async (req, res) => {
    res.json(await services.results.office(parse(officePageSchema, req.query, 'query'), identityOf(res)));
  });

  router.get('/api/results/office.csv', async (req, res) => {
    const viewer = identityOf(res);
    const filter = parse(officeFilterSchema, req.query, 'query');
    const [{ rows }, threshold] = await Promise.all([services.results.filtered(filter, viewer), services.results.privacyThreshold(viewer)]);
    res
      .type('text/csv; charset=utf-8')
      .attachment('office.csv')
      .send(officeRowsToCsv(rows, { activityHiddenColumn: threshold !== null }));
  });

  router.get('/api/results/office.json', async (req, res) => {
    const { rows } = await services.results.filtered(parse(officeFilterSchema, req.query, 'query'), identityOf(res));
    res.attachment('office.json').json({ rows });
  });

  router.get('/api/results/user-table', requireAdmin, async (_req, res) => {
    res.json(await services.results.userTable());
  });

  router.get('/api/accounts', async (req, res) => {
    const { q, limit } = parse(searchSchema, req.query, 'query');
    res.json({ accounts: await services.results.search(q, limit) });
  });

  router.get('/api/accounts/:accountId', async (req, res) => {
    const { accountId } = parse(accountParams, req.params, 'params');
    res.json(await services.results.account(accountId, identityOf(res)));
  });

  return router;
}
