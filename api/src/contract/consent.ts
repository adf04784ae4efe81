/** Tenant-admin consent on the wire. */
import { z } from 'zod';
import { isoDateTime } from './common';

export const consentStatusSchema = z
  .object({
    status: z.enum(['notRequested', 'pending', 'granted', 'denied']),
    grantedPermissions: z.array(z.string()).describe('The token’s roles, plus the required permissions granted through Exchange RBAC for Applications.'),
    missingPermissions: z.array(z.string()),
    requiredPermissions: z.array(z.string()),
    // RBAC for Applications grants never show in the token (docs/deploy.md).
    grantedThrough: z.record(z.string(), z.enum(['appRole', 'exchangeRbac'])).describe('For each granted required permission, where it is granted: the app token or Exchange RBAC for Applications.'),
    exchangeRbac: z
      .object({ mailboxes: z.array(z.string()).describe('The selected mailboxes read (empty when none could be).'), message: z.string() })
      .nullable()
      .describe('Set when a mail or calendar permission is not in the app token: what reading selected mailboxes found.'),
    grantedAt: isoDateTime('When consent was granted').nullable(),
    error: z.string().nullable(),
    checkedAt: isoDateTime('Extra: when the granted permissions were last read from the tenant').nullable(),
  })
  .meta({ id: 'ConsentStatus' });
export type ConsentStatus = z.infer<typeof consentStatusSchema>;

export const consentRequestSchema = z.object({
  url: z.string().describe('The admin consent URL (Entra ID) with a fresh, single-use state.'),
  expiresAt: isoDateTime('When the state stops being accepted'),
});
