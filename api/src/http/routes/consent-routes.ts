/** Tenant-admin consent: status, the consent URL, the popup's callback page, and a re-check. */
import { Router, type Request } from 'express';
import { isAppError } from '../../errors';
import type { Services } from '../../services';
import type { Logger } from '../../services/logger';
import { identityOf, requireAdmin } from '../auth';
import { consentPage, type ConsentPageModel } from '../consent-page';
import { nonceOf } from '../security';
import { parse } from '../validate';
import { consentAdminRequestBodySchema } from '../../contract';

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function consentRoutes(services: Services): Router {
  const router = Router();

  router.get('/api/consent', async (_req, res) => {
    res.json(await services.consent.view());
  });

  router.post('/api/consent/request', requireAdmin, async (req, res) => {
    const { url, expiresAt } = await services.consent.request(identityOf(res), origin(req));
    res.json({ url, expiresAt });
  });

  router.get('/api/consent/requests', requireAdmin, async (_req, res) => {
    res.json({ requests: await services.consent.adminRequests() });
  });

  router.post('/api/consent/requests', requireAdmin, async (req, res) => {
    const { channel } = parse(consentAdminRequestBodySchema, req.body, 'body');
    res.status(201).json(await services.consent.askAdmin(identityOf(res), channel, origin(req)));
  });

  router.post('/api/consent/check', requireAdmin, async (_req, res) => {
    res.json(await services.consent.check());
  });

  return router;
}

/** Public: the browser lands here from Entra ID, without a token. It always answers a page, never JSON. */
export function consentCallbackRoute(services: Services, logger: Logger): Router {
  const router = Router();
  router.get('/api/consent/callback', async (req, res) => {
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    let model: ConsentPageModel;
    let status = 200;
    try {
      const result = await services.consent.handleCallback(query);
      model =
        result.outcome === 'granted'
          ? {
              outcome: 'granted',
              title: result.consent.missingPermissions.length === 0 ? 'Consent granted' : 'Consent granted, with permissions missing',
              message: result.message,
              missingPermissions: result.consent.missingPermissions,
            }
          : { outcome: 'denied', title: 'Consent was not granted', message: result.message, code: 'CONSENT_DENIED' };
    } catch (e) {
      if (!isAppError(e)) logger.error('consent callback failed', { error: (e as Error).message });
      status = isAppError(e) ? e.status : 500;
      model = {
        outcome: 'error',
        title: 'Consent could not be completed',
        message: isAppError(e) && e.status < 500 ? e.message : 'Something went wrong on our side; start the consent flow again from Rapport.',
        code: isAppError(e) ? e.code : 'INTERNAL',
      };
    }
    res.status(status).type('html').set('Cache-Control', 'no-store').send(consentPage(model, nonceOf(res)));
  });

  return router;
}
