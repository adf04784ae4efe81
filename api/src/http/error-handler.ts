/**
 * The one error middleware: AppError → its status and `{ error: { code, message, details } }`;
 * zod errors → 400 VALIDATION_FAILED; body-parser errors → 400/413; anything else → a bare 500,
 * logged with its stack but never sent.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, ERROR_CATALOGUE, isAppError } from '../errors';
import type { Logger } from '../services/logger';
import { describeZodError } from './validate';

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new AppError('NOT_FOUND', `There is no ${req.method} ${req.path}; see /api/openapi.json.`));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const error = toAppError(err);
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

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof z.ZodError) return new AppError('VALIDATION_FAILED', describeZodError(err, ''));
  const e = err as { type?: string; status?: number; limit?: number };
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${e.limit ?? 'the limit of'} bytes.`);
  if (e?.type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', 'body: the JSON could not be parsed; send a valid JSON document.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError('VALIDATION_FAILED', 'body: use UTF-8.');
  return new AppError('INTERNAL', undefined, undefined, err);
}
