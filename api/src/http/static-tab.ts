/** Serves the built tab at `/`, with an SPA fallback to index.html for client-side routes. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

export function staticTab(staticDir: string): Router {
  const router = Router();
  const index = path.join(staticDir, 'index.html');
  router.use(express.static(staticDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  const fallback: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api' || !req.accepts('html')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  };
  router.use(fallback);
  return router;
}

function noCacheForHtml(res: express.Response, file: string): void {
  // The HTML names hashed bundles: it must be re-read after a deploy.
  if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
