/**
 * Who may post to /api/messages. Whenever the bot has an app id, every request must carry a
 * Bot Framework token, and this module checks it itself (Bot Framework "Authenticate requests
 * from the Bot Connector service"): RS256 signature by a key published at the Bot Framework
 * JWKS whose endorsements include the activity's channel, issuer `https://api.botframework.com`,
 * audience = the bot's app id, exp/nbf within five minutes of skew, and a `serviceurl` claim
 * equal to the activity's `serviceUrl`, so a token minted for one conversation service cannot
 * make the bot send to another URL.
 *
 * Why not the SDK's own check: the Teams SDK also accepts Entra-issued "agentic" tokens without
 * a service URL claim, reads CLIENT_ID/TENANT_ID from the environment (Rapport's Graph app,
 * not the bot), and cannot be given local keys, so a signed token could never be tested. The
 * SDK receives each activity with the identity established here (platform/teams-platform.ts).
 */
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const BOT_FRAMEWORK_JWKS_URL = 'https://login.botframework.com/v1/.well-known/keys';

/** A Bot Framework signing key: a JWK plus the channels it may sign for. */
export type BotFrameworkJwk = JWK & { kid?: string; endorsements?: string[] };

export interface SigningKeySource {
  /** The published keys; `refresh` asks for a fresh copy (an unknown `kid`: the keys rotated). */
  keys(refresh: boolean): Promise<BotFrameworkJwk[]>;
}

export type AuthFailureReason = 'missing' | 'invalid' | 'expired' | 'audience' | 'issuer' | 'serviceUrl' | 'endorsement' | 'keysUnavailable';

export type AuthResult = { ok: true; serviceUrl: string; appId: string } | { ok: false; reason: AuthFailureReason; message: string };

export interface BotFrameworkVerifierOptions {
  /** The bot's Microsoft App ID: the only accepted audience. */
  botId: string;
  keys: SigningKeySource;
  /** @default https://api.botframework.com */
  issuer?: string;
  /** @default () => new Date() */
  clock?: () => Date;
}

/** What the caller is told; nothing here quotes an internal error (a host lookup, a stack). */
const MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'The request carries no Bot Framework token (Authorization: Bearer <token>).',
  invalid: 'The Bot Framework token is not valid.',
  expired: 'The Bot Framework token has expired.',
  audience: 'The Bot Framework token was issued for another bot.',
  issuer: 'The token was not issued by the Bot Framework.',
  serviceUrl: 'The activity does not match the token it carries.',
  endorsement: 'The token was signed by a key not endorsed for this channel.',
  keysUnavailable: 'The Bot Framework signing keys could not be checked; try again.',
};

export function failure(reason: AuthFailureReason): AuthResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/** Service URLs compare without a trailing slash and case-insensitively (hosts are). */
function sameServiceUrl(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

export type BotFrameworkVerifier = (authorization: string | undefined, activity: { serviceUrl?: unknown; channelId?: unknown }) => Promise<AuthResult>;

export function createBotFrameworkVerifier(options: BotFrameworkVerifierOptions): BotFrameworkVerifier {
  const issuer = options.issuer ?? BOT_FRAMEWORK_ISSUER;
  const clock = options.clock ?? (() => new Date());

  return async (authorization, activity) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return failure('missing');
    const token = match[1]!;
    const channelId = typeof activity.channelId === 'string' ? activity.channelId : '';
    const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : '';

    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') return failure('invalid');
      kid = header.kid;
    } catch {
      return failure('invalid');
    }

    let jwk: BotFrameworkJwk | undefined;
    try {
      jwk = (await options.keys.keys(false)).find((k) => k.kid === kid);
      if (!jwk) jwk = (await options.keys.keys(true)).find((k) => k.kid === kid);
    } catch {
      return failure('keysUnavailable');
    }
    if (!jwk) return failure('invalid');
    if (!channelId || !(jwk.endorsements ?? []).includes(channelId)) return failure('endorsement');

    let payload: JWTPayload;
    try {
      const key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
      ({ payload } = await jwtVerify(token, key, {
        issuer,
        audience: options.botId,
        algorithms: ['RS256'],
        clockTolerance: 300,
        currentDate: clock(),
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return failure('expired');
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        if (e.claim === 'aud') return failure('audience');
        if (e.claim === 'iss') return failure('issuer');
      }
      return failure('invalid');
    }
    // Every Bot Connector token names the service URL it was issued for.
    const claimed = payload.serviceurl ?? payload.serviceUrl;
    if (typeof claimed !== 'string' || !serviceUrl || !sameServiceUrl(claimed, serviceUrl)) return failure('serviceUrl');
    return { ok: true, serviceUrl, appId: options.botId };
  };
}

export interface RemoteKeysOptions {
  /** @default https://login.botframework.com/v1/.well-known/keys */
  url?: string;
  /** @default global fetch */
  fetch?: typeof fetch;
  /** @default Date.now */
  now?: () => number;
}

const KEYS_TTL_MS = 24 * 60 * 60 * 1000;
/** An unknown kid refetches at most this often, so forged kids cannot make the bot hammer the JWKS. */
const REFRESH_MIN_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

/** The Bot Framework's published keys, cached for a day (Microsoft's guidance) and shared by concurrent requests. */
export function remoteSigningKeys(options: RemoteKeysOptions = {}): SigningKeySource {
  const url = options.url ?? BOT_FRAMEWORK_JWKS_URL;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let cached: { keys: BotFrameworkJwk[]; at: number } | null = null;
  let inflight: Promise<BotFrameworkJwk[]> | null = null;

  const load = (): Promise<BotFrameworkJwk[]> => {
    inflight ??= (async () => {
      try {
        const res = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        const body = (await res.json()) as { keys?: unknown };
        if (!Array.isArray(body.keys)) throw new Error('JWKS has no keys');
        const keys = body.keys.filter((k): k is BotFrameworkJwk => typeof k === 'object' && k !== null && (k as JWK).kty === 'RSA');
        cached = { keys, at: now() };
        return keys;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };

  return {
    async keys(refresh) {
      const age = cached ? now() - cached.at : Infinity;
      if (cached && age < KEYS_TTL_MS && (!refresh || age < REFRESH_MIN_MS)) return cached.keys;
      try {
        return await load();
      } catch (e) {
        // A JWKS outage must not lock the bot out while the keys it has are still the published ones.
        if (cached) return cached.keys;
        throw e;
      }
    },
  };
}
