import { apiRequest, apiUrl, type QueryValue } from '../../../lib/api-client';
import type { OfficePage, OfficeQuery } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

function toQuery(query: OfficeQuery): Record<string, QueryValue> {
  return { ...query };
}

export function getOffice(query: OfficeQuery, signal?: AbortSignal): Promise<OfficePage> {
  return apiRequest<OfficePage>('/api/results/office', { query: toQuery(query), signal });
}

export function useOffice(query: OfficeQuery) {
  return useResource(JSON.stringify(query), (signal) => getOffice(query, signal));
}

/** The CSV export of the same filters, without paging (docs/api.md). */
export function officeCsvUrl(query: OfficeQuery): string {
  const { page: _page, pageSize: _pageSize, ...filters } = query;
  return apiUrl('/api/results/office.csv', toQuery(filters));
}
