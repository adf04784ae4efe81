/**
 * The simulator's Microsoft Entra stand-in: an RS256 key pair held in memory, the
 * client-credentials token endpoint, OpenID metadata, JWKS and the admin consent page.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The least-privilege application permissions of DESIGN.md §5. */
export const RAPPORT_ROLES = ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'] as const;

/** Entra application roles that reach mailbox data; Exchange RBAC for Applications can grant these instead. */
export const MAILBOX_ROLES: ReadonlySet<string> = new Set([
  'Mail.ReadBasic.All',
  'Mail.ReadBasic',
  'Mail.Read',
  'Mail.ReadWrite',
  'Calendars.ReadBasic.All',
  'Calendars.ReadBasic',
  'Calendars.Read',
  'Calendars.ReadWrite',
]);

const ROLE_DESCRIPTIONS: Record<string, string> = {
  'Mail.ReadBasic.All': 'Read basic mail in all mailboxes (senders, recipients and dates; never subjects or bodies)',
  'Calendars.ReadBasic.All': 'Read basic details of calendars in all mailboxes (times and attendees; never subjects or bodies)',
  'User.Read.All': "Read all users' full profiles",
  'GroupMember.Read.All': 'Read all group memberships',
};

export interface SimulatorClient {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. @default 'Rapport' */
  displayName?: string;
  /** When set, consent redirects only to these URIs. */
  redirectUris?: string[];
}

export const DEMO_CLIENT: SimulatorClient = { clientId: 'rapport-demo-client', clientSecret: 'rapport-demo-secret', displayName: 'Rapport' };

export interface TokenClaims extends JWTPayload {
  tid: string;
  appid: string;
  roles?: string[];
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; message: string };

/** Verified tokens remembered (a run uses a handful; the bound only guards a long-lived simulator). */
const VERIFIED_TOKENS_KEPT = 1000;

export class Identity {
  /**
   * Tokens already verified, by their text: an RS256 check on every request cost the simulator
   * more CPU than writing a small page. Only the lifetime is checked again.
   */
  private readonly verified = new Map<string, { issuer: string; claims: TokenClaims }>();

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    readonly kid: string,
    readonly tenantId: string,
    private readonly issuerBase: () => string,
  ) {}

  static async create(tenantId: string, issuerBase: () => string): Promise<Identity> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID().replace(/-/g, '').slice(0, 24);
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    return new Identity(privateKey, jwk, kid, tenantId, issuerBase);
  }

  get issuer(): string {
    return `${this.issuerBase()}/${this.tenantId}/v2.0`;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  openIdConfiguration(): Record<string, unknown> {
    const base = `${this.issuerBase()}/${this.tenantId}`;
    return {
      issuer: this.issuer,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      grant_types_supported: ['client_credentials'],
      tenant_region_scope: 'EU',
    };
  }

  /** Signs an app-only Graph token. Tests use `expiresInSeconds <= 0` or another `audience` for failures. */
  async issue(opts: { clientId: string; roles: readonly string[]; expiresInSeconds: number; audience?: string }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      tid: this.tenantId,
      appid: opts.clientId,
      azp: opts.clientId,
      idtyp: 'app',
      oid: opts.clientId,
      ver: '1.0',
    };
    if (opts.roles.length > 0) payload.roles = [...opts.roles];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(this.issuer)
      .setAudience(opts.audience ?? GRAPH_AUDIENCE)
      .setSubject(opts.clientId)
      .setIssuedAt(now - 5)
      .setNotBefore(now - 5)
      .setExpirationTime(now + opts.expiresInSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  async verify(authorization: string | undefined): Promise<TokenCheck> {
    if (!authorization) return { ok: false, message: 'Access token is empty.' };
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) return { ok: false, message: 'Access token is empty or not a Bearer token.' };
    const token = m[1]!;
    const known = this.verified.get(token);
    // A token whose signature, issuer and audience passed once only needs its lifetime checked
    // again, as jose checks it (nbf first, then exp, whole seconds, no tolerance).
    if (known && known.issuer === this.issuer) {
      const now = Math.floor(Date.now() / 1000);
      if (typeof known.claims.nbf === 'number' && known.claims.nbf > now) return { ok: false, message: 'Access token validation failure. Invalid nbf.' };
      if (typeof known.claims.exp === 'number' && known.claims.exp <= now) return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
      return { ok: true, claims: known.claims };
    }
    try {
      const { payload } = await jwtVerify(token, this.publicJwk, {
        algorithms: ['RS256'],
        audience: [GRAPH_AUDIENCE, `${GRAPH_AUDIENCE}/`, GRAPH_APP_ID],
        issuer: this.issuer,
      });
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear();
      this.verified.set(token, { issuer: this.issuer, claims: payload as TokenClaims });
      return { ok: true, claims: payload as TokenClaims };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { ok: false, message: `Access token validation failure. Invalid ${(e as { claim?: string }).claim ?? 'claim'}.` };
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, message: 'IDX10511: Signature validation failed.' };
      return { ok: false, message: 'IDX14100: JWT is not well formed.' };
    }
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The admin consent page: both buttons post a form, so it works without script. */
export function consentPageHtml(p: {
  tenant: string;
  appName: string;
  clientId: string;
  redirectUri: string;
  state: string;
  roles: readonly string[];
}): string {
  const hidden = (decision: string): string =>
    [
      ['client_id', p.clientId],
      ['redirect_uri', p.redirectUri],
      ['state', p.state],
      ['decision', decision],
    ]
      .map(([n, v]) => `<input type="hidden" name="${n}" value="${escapeHtml(v!)}">`)
      .join('');
  const action = `/${encodeURIComponent(p.tenant)}/adminconsent/decision`;
  const items = p.roles.map((r) => `<li><strong>${escapeHtml(r)}</strong>: ${escapeHtml(ROLE_DESCRIPTIONS[r] ?? r)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Permissions requested – ${escapeHtml(p.appName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}button:focus-visible{outline:3px solid #000;outline-offset:2px}</style>
</head>
<body>
<main>
<h1>Permissions requested</h1>
<p>${escapeHtml(p.appName)} requests permission to:</p>
<ul>
${items}
</ul>
<p>Accepting grants these permissions for your whole organisation (tenant ${escapeHtml(p.tenant)}).</p>
<div role="group" aria-label="Consent decision">
<form method="post" action="${action}" style="display:inline">${hidden('accept')}<button type="submit" id="accept">Accept</button></form>
<form method="post" action="${action}" style="display:inline">${hidden('cancel')}<button type="submit" id="cancel">Cancel</button></form>
</div>
</main>
</body>
</html>`;
}
