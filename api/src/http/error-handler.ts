/**
 * The one error middleware: AppError → its status and `{ error: { code, message, details } }`;
 * zod errors → 400 VALIDATION_FAILED; body-parser errors → 400/413; anything else → a bare 500,
 * logged with its stack but never sent. Every 401 carries a `WWW-Authenticate` challenge.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ERROR_CATALOGUE, isAppError } from '../errors';
import type { Logger } from '../services/logger';
import { describeZodError } from './validate';

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    const path = `${req.baseUrl}${req.path}`;
    const message = path.startsWith('/api')
      ? `There is no ${req.method} ${path}; see /api/openapi.json.`
      : `There is no file at ${path}; reload Rapport to get the current version of the tab.`;
    next(new AppError('NOT_FOUND', message));
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const error = toAppError(err, req);
    if (error.status === 401) res.set('WWW-Authenticate', bearerChallenge(error));
    if (error.status >= 500) {
      logger.error('request failed', { method: req.method, path: req.path, code: error.code, error: (err as Error)?.message, stack: (err as Error)?.stack });
    }
    const body =
      error.code === 'INTERNAL'
        ? { error: { code: 'INTERNAL', message: ERROR_CATALOGUE.INTERNAL.message } }
        : { error: { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) } };
    res.status(error.status).json(body);
  };
}

/** The realm of every challenge (RFC 6750 §3). */
export const AUTH_REALM = 'Rapport';

/**
 * RFC 6750 §3: `Bearer realm="Rapport"` when no credential came, and with
 * `error="invalid_token"` and a description when one came and was refused.
 */
export function bearerChallenge(error: AppError): string {
  const reason = error.details?.reason;
  if (reason === undefined || reason === 'missing') return `Bearer realm="${AUTH_REALM}"`;
  // error_description allows printable ASCII except " and \ (RFC 6750 §3).
  const description = error.message
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 200);
  return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${description}"`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} kB`;
}

function toAppError(err: unknown, req: Request): AppError {
  if (isAppError(err)) return err;
  if (err instanceof z.ZodError) return new AppError('VALIDATION_FAILED', describeZodError(err, ''));
  const e = err as { type?: string; status?: number; limit?: number; length?: number };
  if (e?.type === 'entity.too.large') {
    const limit = typeof e.limit === 'number' ? formatBytes(e.limit) : 'its limit';
    return new AppError('PAYLOAD_TOO_LARGE', `body: ${req.method} ${req.baseUrl}${req.path} takes at most ${limit} of JSON; send a smaller document.`, {
      ...(typeof e.limit === 'number' ? { limitBytes: e.limit } : {}),
      ...(typeof e.length === 'number' ? { bodyBytes: e.length } : {}),
    });
  }
  if (e?.type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', 'body: the JSON could not be parsed; send a valid JSON document.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError('ENCODING_INVALID', 'body: send JSON as UTF-8.');
  return new AppError('INTERNAL', undefined, undefined, err);
}
