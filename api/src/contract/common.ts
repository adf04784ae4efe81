/** Building blocks shared by the contract's modules. */
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors';

/** A timestamp on the wire: ISO 8601 in UTC, as `Date.prototype.toISOString` writes it. */
export const isoDateTime = (description: string) => z.string().describe(`${description} (ISO 8601, UTC).`);

const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

/** Every error answer: `{ error: { code, message, details? } }` (errors.ts, http/error-handler.ts). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('A stable code from the catalogue in api/src/errors.ts; clients branch on it.'),
      message: z.string().describe('What went wrong and what to do about it, for a person.'),
      details: z.record(z.string(), z.unknown()).optional().describe('Machine-readable specifics, e.g. `issues` of a VALIDATION_FAILED.'),
    }),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof errorBodySchema>;

/** A path parameter naming a stored object (run, segment, dataset). */
export const idParamsSchema = z.object({ id: z.string().min(1).max(100).describe('The id the API handed out.') });
