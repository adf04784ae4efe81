/** Who is calling, as the auth middleware established it. */
export interface Identity {
  /** Entra object id (`oid`). */
  id: string;
  name: string;
  tenantId: string;
  isAdmin: boolean;
}

/** Demo mode's documented local identity (docs/api.md). */
export const DEMO_IDENTITY: Identity = {
  id: '00000000-0000-0000-0000-0000000000ad',
  name: 'Demo Admin',
  tenantId: 'demo',
  isAdmin: true,
};
