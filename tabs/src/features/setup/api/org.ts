import { apiRequest } from '../../../lib/api-client';
import type { OrgResolveResult } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function resolveOrg(entries: string[], signal?: AbortSignal): Promise<OrgResolveResult> {
  return apiRequest<OrgResolveResult>('/api/config/org/resolve', { method: 'POST', body: { entries }, signal });
}

/** Resolves the (already debounced) entries; nothing is sent for an empty list. */
export function useOrgResolution(entries: string[]) {
  return useResource(entries.length ? `org:${entries.join('\n')}` : null, (signal) => resolveOrg(entries, signal));
}

/** Splits the textarea into entries: lines, commas or semicolons; trimmed and de-duplicated. */
export function parseOrgEntries(text: string): string[] {
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const raw of text.split(/[\n,;]+/)) {
    const entry = raw.trim();
    if (!entry || seen.has(entry.toLowerCase())) continue;
    seen.add(entry.toLowerCase());
    entries.push(entry);
  }
  return entries;
}
