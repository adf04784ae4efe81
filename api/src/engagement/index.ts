/**
 * The pure engagement domain (DESIGN.md §3–§4): addresses and accounts, message and event
 * normalisation, per-mailbox partial aggregates and their merge, buckets, score, segments.
 */
export * from './types';
export { isExcluded, isFreemailDomain, isInternal, normaliseAddress, normaliseDomain, type NormalisedAddress } from './addresses';
export {
  buildAccountDirectory,
  compareIds,
  normaliseWebsiteDomain,
  type AccountDirectory,
  type AccountSummary,
  type DirectoryReport,
  type DirectoryReport as DatasetReport,
} from './account-directory';
export { normaliseMessage, type EmailCopy } from './activities/email-copy';
export { normaliseEvent, type MeetingCopy } from './activities/meeting-copy';
export { windowStartOf, startOfIsoWeek, startOfUtcDay, startOfUtcMonth, parseGraphDateTime, DAY_MS } from './buckets';
export { createMailboxReducer, type MailboxReducer } from './mailbox-reducer';
export { ShardedMerge, type SpillStore } from './sharded-merge';
export { emptyPartial, mergeInto, mergePartials, type EmailEntry, type MailboxPartial, type MeetingEntry } from './partial';
export { deserializePartial, serializePartial, PARTIAL_FORMAT, type SerializedPartial } from './partial-serialization';
export {
  accumulateCells,
  accumulateCellsSlices,
  computeResults,
  computeResultsSlices,
  finalizeResults,
  finalizeResultsSlices,
  scoreKey,
  type AccumulateOptions,
  type EngagementResults,
  type RunTotals,
  type ScoreExplanation,
} from './compute-results';
export { collectedTimeline, emptyCellSet, replyChain, timelineFromEntries, type CellSet, type Timeline } from './day-cells';
export {
  CellTables,
  emptyColumns,
  LISTS,
  mergeColumns,
  mergeColumnsSlices,
  NUM_FIELDS,
  toColumns,
  toColumnsSlices,
  type CellColumns,
} from './cell-columns';
export { drain, SLICE_ITEMS, type Slices } from './work-slices';
export { bandOf, DEFAULT_WEIGHTS, percentileRanker, reciprocityOf, scoreBucket, type ScoreBreakdown, type ScoreSignals, type SignalContribution } from './score';
export {
  evaluateCondition,
  evaluateRule,
  isStale,
  staleRule,
  RULE_OPERATORS,
  type Rule,
  type RuleCondition,
  type RuleGroup,
  type RuleOperator,
  type StaleRules,
} from './segments';
export { computeMeasure, computeMeasureByMonth, MEASURE_FUNCTIONS, type Measure, type MeasureFunction } from './measures';
export { defaultRules } from './rules';
export {
  ACTIVITY_COLUMNS,
  colleaguesInvolved,
  DEFAULT_MINIMUM_COLLEAGUES,
  evaluateRuleAsViewed,
  isActivityColumn,
  isBelowThreshold,
  isHidden,
  isStaleAsViewed,
  KEPT_COLUMNS,
  MAX_MINIMUM_COLLEAGUES,
  redactRow,
  type ActivityColumn,
  type KeptColumn,
  type OfficeRowView,
  type RowPrivacy,
} from './row-privacy';
export {
  addSliceThreads,
  conversationWords,
  createSlicedMailboxReducer,
  dropMeetingsOutside,
  emptyThreads,
  KEY_WORDS,
  receivedDayOf,
  settleThreads,
  timelineLookup,
  type RecentThreads,
  type SettledThreads,
  type SlicedMailboxPartial,
  type SlicedMailboxReducer,
} from './incremental';
