/** Tenant-admin consent on the wire. */
import { z } from 'zod';
import { isoDateTime } from './common';

export const ADMIN_REQUEST_CHANNELS = ['teams', 'email', 'link'] as const;

export const consentAdminRequestSchema = z
  .object({
    id: z.string(),
    askedAt: isoDateTime('When the request was prepared'),
    askedBy: z.object({ id: z.string(), name: z.string() }).describe('The Rapport admin who asked.'),
    recipient: z.object({ name: z.string(), email: z.string() }).describe('The tenant administrator asked (from the configuration).'),
    channel: z.enum(ADMIN_REQUEST_CHANNELS).describe('How: a Teams chat, an email, or a copied link.'),
  })
  .meta({ id: 'ConsentAdminRequest', description: 'A request to the tenant administrator to grant consent.' });
export type ConsentAdminRequest = z.infer<typeof consentAdminRequestSchema>;

export const consentAdminRequestBodySchema = z.object({
  channel: z.enum(ADMIN_REQUEST_CHANNELS, { message: 'must be "teams", "email" or "link"' }),
});

export const consentAdminRequestResultSchema = z
  .object({
    request: consentAdminRequestSchema,
    consentUrl: z.string().describe('The admin consent URL to send: its state is accepted once, for 7 days.'),
    expiresAt: isoDateTime('When the link stops being accepted'),
    permissions: z.array(z.string()).describe('The application permissions the administrator grants.'),
  })
  .meta({ id: 'ConsentAdminRequestResult' });
export type ConsentAdminRequestResult = z.infer<typeof consentAdminRequestResultSchema>;

export const consentAdminRequestListSchema = z.object({ requests: z.array(consentAdminRequestSchema).describe('Newest first.') });

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
    adminRequest: consentAdminRequestSchema.nullable().describe('The latest time the tenant administrator was asked (a Teams chat, an email or a copied link); null when nobody was asked.'),
  })
  .meta({ id: 'ConsentStatus' });
export type ConsentStatus = z.infer<typeof consentStatusSchema>;

export const consentRequestSchema = z.object({
  url: z.string().describe('The admin consent URL (Entra ID) with a fresh, single-use state.'),
  expiresAt: isoDateTime('When the state stops being accepted'),
});
