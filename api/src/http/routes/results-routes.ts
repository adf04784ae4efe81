/** Results: overview, the Office table and its exports, the user table, customer cards, search. */
import { Router } from 'express';
import { accountParamsSchema, changesQuerySchema, officeFilterSchema, officePageQuerySchema, searchQuerySchema, timelineQuerySchema } from '../../contract';
import { officeRowsToCsv } from '../../enrichment/office-csv';
import type { Services } from '../../services';
import { identityOf, requireAdmin } from '../auth';
import { parse } from '../validate';

export function resultsRoutes(services: Services): Router {
  const router = Router();

  // Rows are shaped for the caller (admins see all; others through the privacy threshold).
  router.get('/api/results/overview', async (_req, res) => {
    res.json(await services.results.overview(identityOf(res)));
  });

  // "This week": score movers, accounts gone quiet, meetings soon (owner=me: the caller's own).
  router.get('/api/results/changes', async (req, res) => {
    res.json(await services.results.changes(parse(changesQuerySchema, req.query, 'query'), identityOf(res)));
  });

  router.get('/api/results/timeline', async (req, res) => {
    res.json(await services.results.timeline(parse(timelineQuerySchema, req.query, 'query'), identityOf(res)));
  });

  router.get('/api/results/office', async (req, res) => {
    res.json(await services.results.office(parse(officePageQuerySchema, req.query, 'query'), identityOf(res)));
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
    const { q, limit } = parse(searchQuerySchema, req.query, 'query');
    res.json({ accounts: await services.results.search(q, limit) });
  });

  router.get('/api/accounts/:accountId', async (req, res) => {
    const { accountId } = parse(accountParamsSchema, req.params, 'params');
    res.json(await services.results.account(accountId, identityOf(res)));
  });

  return router;
}
