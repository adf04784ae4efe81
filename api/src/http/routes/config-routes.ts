/** Configuration wizard: org resolution, the versioned configuration and the schedule. */
import { Router } from 'express';
import { orgResolveBodySchema, putConfigSchema, putRulesSchema, scheduleSchema } from '../../contract';
import type { Services } from '../../services';
import { identityOf, requireAdmin } from '../auth';
import { parse } from '../validate';

export function configRoutes(services: Services): Router {
  const router = Router();

  router.get('/api/config', async (_req, res) => {
    res.json(await services.config.view());
  });

  router.get('/api/config/versions', async (_req, res) => {
    res.json({ versions: await services.config.versions() });
  });

  router.get('/api/config/history', async (_req, res) => {
    res.json(await services.config.history());
  });

  router.post('/api/config/org/resolve', requireAdmin, async (req, res) => {
    const { entries } = parse(orgResolveBodySchema, req.body, 'body');
    res.json(await services.config.resolveOrg(entries));
  });

  router.put('/api/config', requireAdmin, async (req, res) => {
    const body = parse(putConfigSchema, req.body, 'body');
    const saved = await services.config.save(body, identityOf(res));
    res.json({ version: saved.version, config: saved.config, updatedAt: saved.savedAt, updatedBy: saved.savedBy.name });
  });

  router.put('/api/config/rules', requireAdmin, async (req, res) => {
    const body = parse(putRulesSchema, req.body, 'body');
    const saved = await services.config.setRules(body.rules, body.expectedVersion, identityOf(res));
    res.json({ version: saved.version, config: saved.config, updatedAt: saved.savedAt, updatedBy: saved.savedBy.name });
  });

  router.get('/api/schedule', async (_req, res) => {
    res.json(await services.scheduler.view());
  });

  router.put('/api/schedule', requireAdmin, async (req, res) => {
    const schedule = parse(scheduleSchema, req.body, 'body');
    await services.config.setSchedule(schedule, identityOf(res));
    res.json(await services.scheduler.view());
  });

  return router;
}
