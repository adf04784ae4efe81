/**
 * HTTP hardening: helmet with a CSP that lets Teams, Outlook and the Microsoft 365 app frame
 * the tab (and nothing else), a rate limit per client address before sign-in, and a generous
 * one per user after it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import rateLimit, { ipKeyGenerator, type RateLimitInfo } from 'express-rate-limit';
import helmet from 'helmet';
import { AppError } from '../errors';
import type { Identity } from '../services/identity';

/** The hosts that embed Teams tabs (Teams, Outlook, the Microsoft 365 app). */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.skype.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
];

/** A fresh nonce per response, for the few inline scripts the server writes (the consent page). */
export const cspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64');
  next();
};

export function nonceOf(res: Response): string {
  return res.locals.cspNonce as string;
}

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as unknown as Response).locals.cspNonce as string}'`],
        // Fluent UI (Griffel) inserts style rules at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:', 'https://res-1.cdn.office.net', 'https://static2.sharepointonline.com'],
        connectSrc: ["'self'"],
        frameAncestors: FRAME_ANCESTORS,
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // X-Frame-Options cannot list several hosts; frame-ancestors above is the control.
    frameguard: false,
    // The consent popup must keep `window.opener` across the sign-in round trip.
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}

export interface RateLimitOptions {
  /** @default 60_000 */
  windowMs?: number;
  /** Requests per window and signed-in user. @default 1200 */
  limit?: number;
  /**
   * Requests per window from one client address that end without a valid credential (no
   * token, a bad one, or a public endpoint). @default 600
   */
  anonymousLimit?: number;
}

/** Seconds until the window of a limited request resets (at least 1), for Retry-After and the message. */
function retryAfterSeconds(req: Request): number {
  const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
}

/** After authentication: a generous limit per signed-in user. */
export function rateLimiter(options: RateLimitOptions = {}): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit ?? 1200,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const identity = res.locals.identity as Identity | undefined;
      return identity ? `user:${identity.tenantId}:${identity.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req, _res, next) => next(new AppError('RATE_LIMITED', `Too many requests; wait ${retryAfterSeconds(req)} seconds and try again.`)),
  });
}

/**
 * Before authentication: at most `anonymousLimit` requests a window from one client address
 * that do not turn out to carry a valid credential. Every request is counted when it arrives
 * and given back when it ends with `accepted(req, res)` true, so signed-in users never spend
 * this budget, while a client over it is refused before its token is even checked. A user
 * behind the same address as a flood is refused too until the window resets: the price of
 * not verifying tokens for a client that sends hundreds of bad ones.
 */
export function anonymousRateLimiter(options: RateLimitOptions, accepted: (req: Request, res: Response) => boolean): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.anonymousLimit ?? 600,
    // The per-user limiter's RateLimit headers describe the caller's budget; this one stays quiet until it refuses.
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `anonymous:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    skipSuccessfulRequests: true,
    requestWasSuccessful: accepted,
    handler: (req, res, next) => {
      const seconds = retryAfterSeconds(req);
      res.set('Retry-After', String(seconds));
      next(
        new AppError('RATE_LIMITED', `Too many requests without a valid sign-in from this address; wait ${seconds} seconds and try again with a valid token.`, {
          retryAfterSeconds: seconds,
        }),
      );
    },
  });
}
