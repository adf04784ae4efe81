/**
 * Who is calling. Production: a Teams SSO token (Entra ID v1 or v2), checked with jose against
 * the tenant's JWKS for signature, `aud`, `iss`, `tid`, `exp` and `nbf`. Demo mode: the
 * documented local identity, an admin.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../config';
import type { DownloadSigner } from './download-links';
import { AppError } from '../errors';
import type { Clock } from '../services/clock';
import { DEMO_IDENTITY, type Identity } from '../services/identity';

export interface VerifiedToken {
  oid: string;
  tid: string;
  name: string;
  roles: string[];
  /** `preferred_username` (v2) or `upn` (v1), lower-cased, when it is an address; else null. */
  email?: string | null;
}

/** Checks a bearer token; throws UNAUTHENTICATED with the reason. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

export interface EntraVerifierOptions {
  tenantId: string;
  /** The SSO audience, `api://<domain>/<client id>`; its trailing client id is accepted too. */
  audience: string;
  /** @default https://login.microsoftonline.com */
  authorityHost?: string;
  /** Signing keys. @default the tenant's JWKS at {authorityHost}/{tenant}/discovery/v2.0/keys */
  keys?: JWTVerifyGetKey;
  /** Time for exp/nbf. @default the system clock */
  clock?: Clock;
  /** Allowed clock skew in seconds. @default 60 */
  clockToleranceSeconds?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createEntraTokenVerifier(options: EntraVerifierOptions): TokenVerifier {
  const authority = (options.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  const tenant = options.tenantId.toLowerCase();
  const keys = options.keys ?? createRemoteJWKSet(new URL(`${authority}/${options.tenantId}/discovery/v2.0/keys`));
  const clientId = options.audience.split('/').pop() ?? '';
  const audiences = [options.audience, ...(GUID.test(clientId) ? [clientId] : [])];
  const issuers = [`${authority}/${options.tenantId}/v2.0`, `https://sts.windows.net/${options.tenantId}/`];
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          audience: audiences,
          issuer: issuers,
          algorithms: ['RS256'],
          clockTolerance: options.clockToleranceSeconds ?? 60,
          ...(options.clock ? { currentDate: options.clock.now() } : {}),
          requiredClaims: ['exp', 'tid', 'oid'],
        }));
      } catch (e) {
        throw new AppError('UNAUTHENTICATED', `Sign in again: ${describeJoseError(e)}.`, { reason: (e as { code?: string }).code ?? 'invalid' }, e);
      }
      const tid = String(payload.tid ?? '').toLowerCase();
      if (tid !== tenant) {
        throw new AppError('UNAUTHENTICATED', 'Sign in again: the token was issued for another tenant.', { reason: 'wrongTenant' });
      }
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const name = [payload.name, payload.preferred_username, payload.upn].find((v): v is string => typeof v === 'string' && v.length > 0) ?? String(payload.oid);
      return { oid: String(payload.oid), tid, name, roles, email: signInAddressOf(payload) };
    },
  };
}

/**
 * The caller's sign-in address: `preferred_username` in v2 tokens, `upn` in v1 (Teams SSO can
 * issue either). Lower-cased because owner columns are typed by people; a value that is not an
 * address (a phone number sign-in) gives null rather than a false match.
 */
export function signInAddressOf(payload: JWTPayload): string | null {
  for (const claim of [payload.preferred_username, payload.upn, payload.email]) {
    if (typeof claim !== 'string') continue;
    const address = claim.trim().toLowerCase();
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) return address;
  }
  return null;
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'aud':
        return 'the token is not meant for Rapport (audience)';
      case 'iss':
        return 'the token comes from an unexpected issuer';
      case 'nbf':
        return 'the token is not valid yet';
      default:
        return `the token's "${e.claim}" claim is not valid`;
    }
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'the token uses an unsupported algorithm';
  return 'the token could not be read';
}

export function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new AppError('UNAUTHENTICATED');
  return identity;
}

/** Sets `res.locals.identity` or fails with 401. */
export function authenticate(config: AppConfig, verifier: TokenVerifier | null, demoTenantId: string, downloads?: DownloadSigner): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (config.mode === 'demo') {
      res.locals.identity = { ...DEMO_IDENTITY, tenantId: demoTenantId } satisfies Identity;
      next();
      return;
    }
    // A signed download link stands in for the bearer token on an export path (download-links.ts).
    if (downloads && req.method === 'GET') {
      try {
        const url = new URL(req.originalUrl, 'http://rapport.invalid');
        const linked = downloads.verify(url.pathname, url.searchParams);
        if (linked) {
          res.locals.identity = linked;
          next();
          return;
        }
      } catch (e) {
        next(e);
        return;
      }
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !verifier) {
      next(new AppError('UNAUTHENTICATED', 'Sign in again: the request carries no bearer token (Authorization: Bearer <Teams SSO token>).', { reason: 'missing' }));
      return;
    }
    verifier.verify(match[1]!).then(
      (token) => {
        const isAdmin = config.auth.adminObjectIds.some((id) => id.toLowerCase() === token.oid.toLowerCase()) || token.roles.includes(config.auth.adminAppRole);
        res.locals.identity = { id: token.oid, name: token.name, tenantId: token.tid, isAdmin, email: token.email ?? null } satisfies Identity;
        next();
      },
      (e: unknown) => next(e),
    );
  };
}

export const requireAdmin: RequestHandler = (_req, res, next) => {
  next(identityOf(res).isAdmin ? undefined : new AppError('FORBIDDEN', 'Only Rapport admins can do this; ask an admin, or to be added to the Rapport admins.'));
};
