/**
 * The API's wire contract (STYLE.md 20): zod schemas of every request and answer, the route
 * table, and the OpenAPI document generated from them. The server validates with these
 * schemas, the tab infers its types from them (`import type`), and tests/api/contract.test.ts
 * checks real answers against them. ESLint's `rapport/import-zones` rule lets tabs/ import this
 * file and nothing else under api/, so only modules without Node code may be exported here.
 */
export {
  AGGREGATION_LEVELS,
  DATE_COLUMNS,
  ENGAGEMENT_BANDS,
  isNumericColumn,
  OFFICE_COLUMNS,
  TEXT_COLUMNS,
  type AggregationLevel,
  type EngagementBand,
  type OfficeColumn,
  type OfficeUserRow,
} from '../engagement/types';
export type { ActivityColumn, KeptColumn, OfficeRowView, RowPrivacy } from '../engagement/row-privacy';
export * from './common';
export * from './config';
export * from './consent';
export * from './datasets';
export * from './meta';
export * from './office';
export * from './results';
export * from './runs';
export * from './segments';
export { ROUTES, TAGS, type Access, type RouteSpec, type Tag } from './routes';
export { openApiDocument } from './openapi';
