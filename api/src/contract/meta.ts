/** Health, readiness, the caller, and signed download links. */
import { z } from 'zod';
import { isoDateTime } from './common';

export const healthSchema = z
  .object({
    status: z.literal('ok'),
    mode: z.enum(['demo', 'production']).describe('demo: the embedded simulator tenant; production: Microsoft Graph.'),
    version: z.string().describe('The server’s version.'),
  })
  .meta({ id: 'Health' });

export const readinessCheckSchema = z
  .object({
    name: z.enum(['store', 'scheduler', 'graph', 'shutdown']).describe('store: the data files can be read; scheduler: weekly runs are planned here or by the instance holding the lease; graph: a Microsoft Graph token can be obtained (production); shutdown: the process is not stopping.'),
    ok: z.boolean(),
    message: z.string().describe('What was found, in words; for a failing check, what to fix.'),
  })
  .meta({ id: 'ReadinessCheck' });

export const readinessSchema = z
  .object({
    status: z.literal('ready'),
    checks: z.array(readinessCheckSchema),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readinessSchema>;

export const meSchema = z
  .object({
    id: z.string().describe('Entra object id of the caller.'),
    name: z.string().describe('Display name.'),
    tenantId: z.string(),
    isAdmin: z.boolean().describe('Admins may configure, run and see rows under the privacy threshold.'),
    mode: z.enum(['demo', 'production']),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const downloadBodySchema = z.object({
  path: z.string().trim().min(1, 'name the export to download, e.g. /api/results/office.csv?level=year').max(2000).describe('The export to sign: office.csv/json or a segment’s members, with its query.'),
});
export const downloadLinkSchema = z
  .object({
    url: z.string().describe('The export’s path with a signature; usable without a bearer token until it expires.'),
    expiresAt: isoDateTime('When the link stops working (5 minutes)'),
  })
  .meta({ id: 'DownloadLink' });
