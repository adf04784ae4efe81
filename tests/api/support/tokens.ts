/** A local stand-in for Entra ID's signing keys: tests sign Teams SSO tokens with jose. */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SSO_CLIENT_ID = '0b7f0e3c-2c37-4c4f-9f0a-3c0d1b0e5a11';
export const SSO_AUDIENCE = `api://rapport.example.com/${SSO_CLIENT_ID}`;
export const ADMIN_OID = 'aaaaaaaa-0000-0000-0000-000000000001';
export const USER_OID = 'bbbbbbbb-0000-0000-0000-000000000002';

export interface TokenClaims {
  oid?: string;
  tid?: string;
  aud?: string;
  iss?: string;
  name?: string;
  roles?: string[];
  /** Seconds relative to `now`. */
  expiresIn?: number;
  notBeforeIn?: number;
}

export class LocalIssuer {
  private constructor(
    private readonly key: CryptoKey,
    readonly keys: JWTVerifyGetKey,
    private readonly otherKey: CryptoKey,
  ) {}

  static async create(): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    return new LocalIssuer(privateKey, createLocalJWKSet({ keys: [jwk] }), other.privateKey);
  }

  /** A v2 Teams SSO token for the test tenant; `now` is the app's clock. */
  sign(now: Date, claims: TokenClaims = {}, options: { foreignKey?: boolean } = {}): Promise<string> {
    const tid = claims.tid ?? TENANT;
    const iat = Math.floor(now.getTime() / 1000);
    const jwt = new SignJWT({ oid: claims.oid ?? USER_OID, tid, name: claims.name ?? 'Test User', ...(claims.roles ? { roles: claims.roles } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
      .setIssuer(claims.iss ?? `https://login.microsoftonline.com/${tid}/v2.0`)
      .setAudience(claims.aud ?? SSO_AUDIENCE)
      .setIssuedAt(iat)
      .setNotBefore(iat + (claims.notBeforeIn ?? -60))
      .setExpirationTime(iat + (claims.expiresIn ?? 3600));
    return jwt.sign(options.foreignKey ? this.otherKey : this.key);
  }
}
