/**
 * Serves the built tab at `/`, with an SPA fallback to index.html for client-side routes.
 * A file that is not there (a stale hashed bundle after a deploy, a typo) is a 404: answering
 * it with index.html and 200 would hand a script tag HTML and hide the broken deploy.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';

/** Paths the SPA fallback never answers: the API, the bundles, and anything that names a file. */
export function isFileRequest(urlPath: string): boolean {
  if (urlPath === '/api' || urlPath.startsWith('/api/') || urlPath === '/assets' || urlPath.startsWith('/assets/')) return true;
  const last = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return path.extname(last) !== '';
}

export function staticTab(staticDir: string): Router {
  const router = Router();
  const index = path.join(staticDir, 'index.html');
  router.use(express.static(staticDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  const fallback: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isFileRequest(req.path) || !req.accepts('html')) {
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
