import { apiRequest } from '../../../lib/api-client';
import type { MeasureRequest, MeasureResult } from '../../../lib/api-types';

export function runMeasure(request: Omit<MeasureRequest, 'column'> & { column?: MeasureRequest['column'] }): Promise<MeasureResult> {
  return apiRequest<MeasureResult>('/api/measures', { method: 'POST', body: request });
}
