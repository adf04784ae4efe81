import { apiRequest } from '../../../lib/api-client';
import type { ConsentStatus } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';
import type { ConsentAdminRequestResult } from '../../../../../api/src/contract';

export type { ConsentAdminRequestResult };
export type AdminRequestChannel = ConsentAdminRequestResult['request']['channel'];

export function getConsent(signal?: AbortSignal): Promise<ConsentStatus> {
  return apiRequest<ConsentStatus>('/api/consent', { signal });
}
export function useConsent() {
  return useResource('consent', getConsent);
}

/** Reads the granted roles again (consent given in the admin centre sends no callback). */
export function checkConsent(): Promise<ConsentStatus> {
  return apiRequest<ConsentStatus>('/api/consent/check', { method: 'POST' });
}

/** The admin consent URL, with a fresh `state` the callback verifies. */
export function requestConsent(): Promise<{ url: string }> {
  return apiRequest<{ url: string }>('/api/consent/request', { method: 'POST' });
}

/** Records that the configured tenant administrator is asked, and answers the link to send them (valid 7 days). */
export function askTenantAdmin(channel: AdminRequestChannel): Promise<ConsentAdminRequestResult> {
  return apiRequest<ConsentAdminRequestResult>('/api/consent/requests', { method: 'POST', body: { channel } });
}
