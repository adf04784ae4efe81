/**
 * The API's second front door: the REST API's wire contract (docs/api.md), for clients such as
 * the tab. Only modules that import no Node code may be re-exported here, because the tab's
 * DOM-only type check and its browser bundle follow these imports. ESLint's
 * `rapport/import-zones` rule lets tabs/ import this file and nothing else under api/.
 */
export {
  OFFICE_COLUMNS,
  type AggregationLevel,
  type EngagementBand,
  type OfficeColumn,
  type OfficeRow,
  type OfficeUserRow,
} from './engagement/types';
// Types only: row-privacy.ts imports the segment rules (zod), which the tab's bundle does without.
export type { ActivityColumn, KeptColumn, OfficeRowView, RowPrivacy } from './engagement/row-privacy';
