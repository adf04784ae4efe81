/**
 * Wire types of the REST API, inferred from the API's contract (api/src/contract: the zod
 * schemas the server validates with and the OpenAPI document is generated from), so the tab
 * cannot drift from the server. Types only, plus three column lists that hold no zod, so the
 * tab's bundle carries no schema.
 */
import type { z } from 'zod';
import type {
  accountCardSchema,
  accountMappingSchema,
  ConsentStatus,
  contactMappingSchema,
  mappingBodySchema,
  measureBodySchema,
  OfficeColumn,
  OfficeRowView,
  OrgEntryResolution,
  RuleOperator,
} from '../../../api/src/contract';
import { DATE_COLUMNS, OFFICE_COLUMNS, TEXT_COLUMNS } from '../../../api/src/contract';

export { DATE_COLUMNS, OFFICE_COLUMNS, TEXT_COLUMNS };
export type {
  AggregationLevel,
  ApiErrorBody,
  ConfigState,
  ConsentStatus,
  DatasetReport,
  DatasetUpload,
  EngagementBand,
  MailboxFailure,
  MappingResult,
  MeasureResult,
  Me,
  OfficeColumn,
  OfficePage,
  OfficeQuery,
  OfficeUserRow,
  OrgEntryResolution,
  OrgResolveResult,
  Overview,
  RowPrivacy,
  RunPhase,
  RunProgress,
  RunStatus,
  RunList,
  RunSummary,
  RunTrigger,
  CurrentResults,
  SavedConfig,
  Schedule,
  ScheduleState,
  ScoreExplanation,
  ScoreSignalName,
  Segment,
  SegmentCondition,
  SegmentGroup,
  SegmentRule,
} from '../../../api/src/contract';

/**
 * An Office row as the API sends it. For a viewer who is not an admin, a row under the privacy
 * threshold (docs/api.md "Privacy threshold") has `privacy` set and null activity columns,
 * which mean "hidden", not "never"; `isHiddenRow` tells them apart.
 */
export type OfficeRow = OfficeRowView;

export function isHiddenRow(row: Pick<OfficeRow, 'privacy'>): boolean {
  return row.privacy?.hidden === true;
}

/** "My accounts", "This week" and the weekly series (dashboard, issue 16). */
export type { ChangeAccount, Changes, MyAccounts, Timeline } from '../../../api/src/contract';

export type SortOrder = 'asc' | 'desc';
export type AccountDetail = z.infer<typeof accountCardSchema>;
export type ConditionOperator = RuleOperator;
export type ConsentStatusName = ConsentStatus['status'];
/** The tab always names a column (the API counts rows when count has none). */
export type MeasureRequest = z.input<typeof measureBodySchema> & { column: OfficeColumn };
export type MeasureFn = MeasureRequest['fn'];
export type OrgEntryReason = NonNullable<OrgEntryResolution['reason']>;
/** The contacts mapping as the wizard sends it (docs/api.md "Datasets"). */
export type FieldMapping = z.input<typeof mappingBodySchema> & z.input<typeof contactMappingSchema>;
/** The accounts file's own columns. */
export type AccountsMapping = z.input<typeof accountMappingSchema>;
