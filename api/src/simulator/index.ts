/** Public API of the Graph-compatible tenant simulator and the seeded tenant generator. */
export { startSimulator, type RunningSimulator, type SimulatorOptions, type ConsentControl, type ConsentOptions } from './server';
export {
  loadFixture,
  tenantStoreFromObject,
  validateAllMailboxes,
  fixtureSchema,
  type TenantFixture,
  type TenantFixtureInput,
  type TenantStore,
  type MailboxIndex,
  type FixtureMessage,
  type FixtureEvent,
  type FixtureUser,
  type FixtureGroup,
  type FixtureMailFolder,
  type FixtureContact,
} from './fixture';
export { resolveFaults, mulberry32, type FaultOptions, type ResolvedFaults } from './faults';
export { DEMO_CLIENT, RAPPORT_ROLES, MAILBOX_ROLES, GRAPH_AUDIENCE, type SimulatorClient } from './identity';
export { MESSAGE_SELECT_ALLOW_LIST, EVENT_SELECT_ALLOW_LIST, FORBIDDEN_FIELDS } from './odata';
export type { SimulatorStats, RequestKind } from './graph-routes';
