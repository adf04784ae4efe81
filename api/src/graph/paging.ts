/**
 * Collection paging: GET the first URL, then follow `@odata.nextLink` verbatim until there is
 * none, validating every page at the edge.
 */
import type { z } from 'zod';
import { AppError } from '../errors';
import { pageSchema } from './schemas';

/** GETs a URL (absolute, or a path under the base URL) and returns its JSON. */
export type GraphGet = (url: string, headers?: Record<string, string>) => Promise<unknown>;

export async function* pages<T extends z.ZodType>(
  get: GraphGet,
  firstUrl: string,
  item: T,
  headers: Record<string, string> = {},
): AsyncGenerator<z.output<T>[]> {
  const schema = pageSchema(item);
  const seen = new Set<string>();
  for (let url: string | undefined = firstUrl; url !== undefined; ) {
    if (seen.has(url)) {
      throw new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph returned a paging link that was already followed.', {
        graphCode: 'PagingLoop',
        status: null,
      });
    }
    seen.add(url);
    const page: { value: unknown[]; '@odata.nextLink'?: string | null } = parsePayload(schema, await get(url, headers));
    url = page['@odata.nextLink'] ?? undefined;
    yield page.value as z.output<T>[];
  }
}

/** Parses one JSON payload with `schema`, or fails with the paths of the offending fields. */
export function parsePayload<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Only paths and messages: never echo payload values (they may hold personal data).
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new AppError('GRAPH_REQUEST_FAILED', `Microsoft Graph returned an unexpected payload (${issues.join('; ')}).`, {
    graphCode: 'UnexpectedPayload',
    status: 200,
    issues,
  });
}
