/** Zod at the edge: a failed parse becomes VALIDATION_FAILED naming each path and what to fix. */
import { type z, type ZodType } from 'zod';
import { AppError } from '../errors';

export function describeZodError(error: z.ZodError, where: string): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${[where, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`)
    .join('; ');
}

export function parse<S extends ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', describeZodError(result.error, where), {
      issues: result.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
    });
  }
  return result.data;
}
