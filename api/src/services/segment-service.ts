/**
 * Saved segments over the year rows of the results, plus the built-in "Stale accounts"
 * segment (DESIGN.md §3) and its two groups, "gone quiet" and "never contacted"
 * (engagement/segments.ts `staleGroupOf`). The built-in ones follow the configured threshold and
 * the upcoming-meeting option (the settings page) and cannot be changed or deleted.
 *
 * Rules are evaluated on the rows as the viewer sees them (ResultsService.yearRows(viewer)):
 * for a non-admin, a condition on a value the privacy threshold hides never matches, so
 * membership and member counts reveal nothing hidden (engagement/row-privacy.ts).
 */
import { randomUUID } from 'node:crypto';
import { evaluateRuleAsViewed, type OfficeRowView } from '../engagement/row-privacy';
import { AppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import type { Clock } from './clock';
import type { Identity } from './identity';
import type { ResultsService, Viewer } from './results-service';
import type { SegmentRule } from '../contract/segments';
import { staleGroupRule, staleRule, type StaleGroup } from '../engagement/segments';
import type { AppState, SavedSegment } from './state';

export const STALE_SEGMENT_ID = 'stale';
/** The built-in segments of the stale groups; the dashboard links to their member lists. */
export const STALE_GROUP_SEGMENT_IDS: Record<StaleGroup, string> = { goneQuiet: 'stale-gone-quiet', neverContacted: 'stale-never-contacted' };
const BUILT_IN_NAMES: Record<string, string> = {
  [STALE_SEGMENT_ID]: 'Stale accounts',
  [STALE_GROUP_SEGMENT_IDS.goneQuiet]: 'Stale accounts: gone quiet',
  [STALE_GROUP_SEGMENT_IDS.neverContacted]: 'Stale accounts: never contacted',
};
const BUILT_IN_IDS = new Set(Object.keys(BUILT_IN_NAMES));
const MAX_SEGMENTS = 200;
export const PREVIEW_SIZE = 50;

export interface SegmentView {
  id: string;
  name: string;
  rule: SegmentRule;
  builtIn: boolean;
  memberCount: number;
  /** Extra. */
  createdBy: string | null;
  updatedAt: string | null;
}

export class SegmentService {
  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      results: ResultsService;
      clock: Clock;
    },
  ) {}

  /** The stale segment and its two groups, with the rules of the newest configuration. */
  private async builtIns(): Promise<(SavedSegment & { builtIn: true })[]> {
    const rules = await this.deps.results.staleRules();
    const segment = (id: string, rule: SegmentRule) => ({ id, name: BUILT_IN_NAMES[id]!, rule, createdAt: '', createdBy: '', updatedAt: '', builtIn: true as const });
    return [
      segment(STALE_SEGMENT_ID, staleRule(rules)),
      segment(STALE_GROUP_SEGMENT_IDS.goneQuiet, staleGroupRule('goneQuiet', rules)),
      segment(STALE_GROUP_SEGMENT_IDS.neverContacted, staleGroupRule('neverContacted', rules)),
    ];
  }

  async list(viewer: Viewer): Promise<SegmentView[]> {
    const [state, rows, builtIns] = await Promise.all([this.deps.state.read(), this.deps.results.yearRows(viewer), this.builtIns()]);
    return [...builtIns, ...state.segments.map((s) => ({ ...s, builtIn: false as const }))].map((s) => this.view(s, s.builtIn, rows));
  }

  async get(id: string, viewer: Viewer): Promise<SegmentView> {
    return this.view(...(await this.find(id)), await this.deps.results.yearRows(viewer));
  }

  /** The answer's member count is for `by`, who is also the viewer. */
  async create(input: { name: string; rule: SegmentRule }, by: Identity): Promise<SegmentView> {
    const now = this.deps.clock.now().toISOString();
    const segment: SavedSegment = { id: `seg_${randomUUID()}`, name: input.name, rule: input.rule, createdAt: now, createdBy: by.name, updatedAt: now };
    await this.deps.state.update((state) => {
      assertUniqueName(state.segments, input.name, null);
      if (state.segments.length >= MAX_SEGMENTS) {
        throw new AppError('VALIDATION_FAILED', `There are already ${MAX_SEGMENTS} segments; delete some before adding more.`);
      }
      state.segments.push(segment);
    });
    return this.view(segment, false, await this.deps.results.yearRows(by));
  }

  async update(id: string, input: { name: string; rule: SegmentRule }, viewer: Viewer): Promise<SegmentView> {
    assertNotBuiltIn(id, 'changed');
    const updated = await this.deps.state.update((state) => {
      const segment = state.segments.find((s) => s.id === id);
      if (!segment) throw notFound(id);
      assertUniqueName(state.segments, input.name, id);
      segment.name = input.name;
      segment.rule = input.rule;
      segment.updatedAt = this.deps.clock.now().toISOString();
      return segment;
    });
    return this.view(updated, false, await this.deps.results.yearRows(viewer));
  }

  async delete(id: string): Promise<void> {
    assertNotBuiltIn(id, 'deleted');
    await this.deps.state.update((state) => {
      const index = state.segments.findIndex((s) => s.id === id);
      if (index < 0) throw notFound(id);
      state.segments.splice(index, 1);
    });
  }

  /** The year rows a rule selects for the viewer, in AccountId order. */
  async select(rule: SegmentRule, viewer: Viewer): Promise<OfficeRowView[]> {
    const rows = await this.deps.results.yearRows(viewer);
    return rows.filter((r) => evaluateRuleAsViewed(rule, r)).sort((a, b) => (a.AccountId < b.AccountId ? -1 : a.AccountId > b.AccountId ? 1 : 0));
  }

  async preview(rule: SegmentRule, viewer: Viewer): Promise<{ total: number; members: OfficeRowView[] }> {
    const members = await this.select(rule, viewer);
    return { total: members.length, members: members.slice(0, PREVIEW_SIZE) };
  }

  async members(id: string, viewer: Viewer): Promise<{ total: number; members: OfficeRowView[] }> {
    const [segment] = await this.find(id);
    const members = await this.select(segment.rule, viewer);
    return { total: members.length, members };
  }

  /** The rule of a segment (for measures). */
  async ruleOf(id: string): Promise<SegmentRule> {
    return (await this.find(id))[0].rule;
  }

  private async find(id: string): Promise<[SavedSegment, boolean]> {
    if (BUILT_IN_IDS.has(id)) return [(await this.builtIns()).find((s) => s.id === id)!, true];
    const segment = (await this.deps.state.read()).segments.find((s) => s.id === id);
    if (!segment) throw notFound(id);
    return [segment, false];
  }

  private view(s: SavedSegment, builtIn: boolean, rows: OfficeRowView[]): SegmentView {
    return {
      id: s.id,
      name: s.name,
      rule: s.rule,
      builtIn,
      memberCount: rows.filter((r) => evaluateRuleAsViewed(s.rule, r)).length,
      createdBy: builtIn ? null : s.createdBy,
      updatedAt: builtIn ? null : s.updatedAt,
    };
  }
}

function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', `There is no segment "${id}".`, { segmentId: id });
}

function assertNotBuiltIn(id: string, what: string): void {
  if (BUILT_IN_IDS.has(id)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The built-in "${BUILT_IN_NAMES[id]}" segment cannot be ${what}. Change its threshold or the upcoming-meeting option on the settings page, or save a copy as a new segment.`,
      { segmentId: id },
    );
  }
}

function assertUniqueName(segments: SavedSegment[], name: string, exceptId: string | null): void {
  const folded = name.trim().toLowerCase();
  const builtInName = Object.values(BUILT_IN_NAMES).some((n) => n.toLowerCase() === folded);
  if (builtInName || segments.some((s) => s.id !== exceptId && s.name.trim().toLowerCase() === folded)) {
    throw new AppError('VALIDATION_FAILED', `name: a segment called "${name}" already exists; choose another name.`, { name });
  }
}
