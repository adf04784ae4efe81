import { apiRequest, apiUrl } from '../../../lib/api-client';
import type { OfficeRow, Segment, SegmentRule } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getSegments(signal?: AbortSignal): Promise<{ segments: Segment[] }> {
  return apiRequest<{ segments: Segment[] }>('/api/segments', { signal });
}
export function useSegments() {
  return useResource('segments', getSegments);
}

export interface SegmentPreview {
  total: number;
  members: OfficeRow[];
}
export function previewSegment(rule: SegmentRule, signal?: AbortSignal): Promise<SegmentPreview> {
  return apiRequest<SegmentPreview>('/api/segments/preview', { method: 'POST', body: { rule }, signal });
}
/** Previews the rule whenever it changes; `null` while the rule is incomplete. */
export function useSegmentPreview(rule: SegmentRule | null) {
  return useResource(rule ? `preview:${JSON.stringify(rule)}` : null, (signal) => previewSegment(rule as SegmentRule, signal));
}

export function createSegment(name: string, rule: SegmentRule): Promise<Segment> {
  return apiRequest<Segment>('/api/segments', { method: 'POST', body: { name, rule } });
}
export function deleteSegment(id: string): Promise<void> {
  return apiRequest<void>(`/api/segments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function getSegmentMembers(id: string, signal?: AbortSignal): Promise<SegmentPreview> {
  return apiRequest<SegmentPreview>(`/api/segments/${encodeURIComponent(id)}/members`, { query: { format: 'json' }, signal });
}
export function useSegmentMembers(id: string | null) {
  return useResource(id ? `members:${id}` : null, (signal) => getSegmentMembers(id as string, signal));
}
export function segmentMembersCsvUrl(id: string): string {
  return apiUrl(`/api/segments/${encodeURIComponent(id)}/members`, { format: 'csv' });
}
