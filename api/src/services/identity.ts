/** Who is calling, as the auth middleware established it. */
export interface Identity {
  /** Entra object id (`oid`). */
  id: string;
  name: string;
  tenantId: string;
  isAdmin: boolean;
  /**
   * The caller's sign-in address, lower-cased (the token's `preferred_username`, else `upn`):
   * what "My accounts" matches against the dataset's owner column. Absent when the token names
   * no address (a guest or an app token); a signed download link carries it (download-links.ts).
   */
  email?: string | null;
}

/**
 * The demo's signed-in person. The demo tenant makes them its first seller
 * (api/src/bootstrap/demo.ts), so the demo dataset's owner column gives them accounts of their own.
 */
export const DEMO_SELLER = { name: 'Demo Admin', email: 'demo.admin@contoso.com' } as const;

/** Demo mode's documented local identity (docs/api.md). */
export const DEMO_IDENTITY: Identity = {
  id: '00000000-0000-0000-0000-0000000000ad',
  name: DEMO_SELLER.name,
  tenantId: 'demo',
  isAdmin: true,
  email: DEMO_SELLER.email,
};
