import { apiRequest } from '../../../lib/api-client';
import type { Schedule, ScheduleState } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getSchedule(signal?: AbortSignal): Promise<ScheduleState> {
  return apiRequest<ScheduleState>('/api/schedule', { signal });
}
export function useSchedule() {
  return useResource('schedule', getSchedule);
}
export function saveSchedule(schedule: Schedule): Promise<ScheduleState> {
  return apiRequest<ScheduleState>('/api/schedule', { method: 'PUT', body: schedule });
}
