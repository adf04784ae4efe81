import { TEXT_COLUMNS, DATE_COLUMNS, type ConditionOperator, type OfficeColumn, type SegmentCondition, type SegmentGroup } from '../../../lib/api-types';

/** The editor's copy of a rule: the same tree with stable ids for React keys. */
export interface EditorCondition {
  id: number;
  kind: 'condition';
  column: OfficeColumn;
  operator: ConditionOperator;
  value: string;
}
export interface EditorGroup {
  id: number;
  kind: 'group';
  op: 'and' | 'or';
  children: (EditorGroup | EditorCondition)[];
}

export const OPERATORS: ConditionOperator[] = ['>', '>=', '<', '<=', '=', '!=', 'isEmpty', 'isNotEmpty'];
export const MAX_DEPTH = 2;

let nextId = 1;
export const newId = () => nextId++;

export function newCondition(column: OfficeColumn = 'DaysSinceLastemail', operator: ConditionOperator = '>', value = '60'): EditorCondition {
  return { id: newId(), kind: 'condition', column, operator, value };
}
export function newGroup(op: 'and' | 'or' = 'and', children: (EditorGroup | EditorCondition)[] = [newCondition()]): EditorGroup {
  return { id: newId(), kind: 'group', op, children };
}

export function needsValue(operator: ConditionOperator): boolean {
  return operator !== 'isEmpty' && operator !== 'isNotEmpty';
}

function isNumericColumn(column: OfficeColumn): boolean {
  return !TEXT_COLUMNS.has(column) && !DATE_COLUMNS.has(column);
}

/** The API's `SegmentRule`, or null while a condition still lacks a usable value. */
export function toRule(group: EditorGroup): SegmentGroup | null {
  const children: SegmentGroup['children'] = [];
  for (const child of group.children) {
    if (child.kind === 'group') {
      const rule = toRule(child);
      if (!rule) return null;
      children.push(rule);
      continue;
    }
    const condition: SegmentCondition = { kind: 'condition', column: child.column, operator: child.operator };
    if (needsValue(child.operator)) {
      const raw = child.value.trim();
      if (raw === '') return null;
      if (isNumericColumn(child.column)) {
        const n = Number(raw);
        if (!Number.isFinite(n)) return null;
        condition.value = n;
      } else {
        condition.value = raw;
      }
    }
    children.push(condition);
  }
  return children.length === 0 ? null : { kind: 'group', op: group.op, children };
}

/** Replaces the node with `id` (or removes it when `next` is null), returning a new tree. */
export function updateNode(group: EditorGroup, id: number, next: EditorGroup | EditorCondition | null): EditorGroup {
  const children: EditorGroup['children'] = [];
  for (const child of group.children) {
    if (child.id === id) {
      if (next) children.push(next);
    } else {
      children.push(child.kind === 'group' ? updateNode(child, id, next) : child);
    }
  }
  return { ...group, children };
}

export function inputTypeFor(column: OfficeColumn): 'number' | 'date' | 'text' {
  if (DATE_COLUMNS.has(column)) return 'date';
  return isNumericColumn(column) ? 'number' : 'text';
}

/** The editor's copy of a rule (a saved or built-in one, to start a new segment from). */
export function fromRule(rule: SegmentGroup): EditorGroup {
  return {
    id: newId(),
    kind: 'group',
    op: rule.op,
    children: rule.children.map((child) =>
      child.kind === 'group' ? fromRule(child) : { id: newId(), kind: 'condition', column: child.column, operator: child.operator, value: child.value === undefined ? '' : String(child.value) },
    ),
  };
}

/** The built-in segments (api/src/services/segment-service.ts): the stale segment and its two groups. */
export const STALE_SEGMENT_ID = 'stale';
export const STALE_GROUP_IDS = { goneQuiet: 'stale-gone-quiet', neverContacted: 'stale-never-contacted' } as const;
export type StaleGroupName = keyof typeof STALE_GROUP_IDS;

export function staleGroupOfSegment(id: string): StaleGroupName | null {
  if (id === STALE_GROUP_IDS.goneQuiet) return 'goneQuiet';
  if (id === STALE_GROUP_IDS.neverContacted) return 'neverContacted';
  return null;
}

/**
 * The threshold and the suppression option a built-in stale rule was made with, read back from
 * the rule (engagement/segments.ts `staleRule`: "DaysSinceLastemail > N" and, when suppression
 * is on, "NextMeetingDate is empty"), so the list can say the rule in words. Null when the rule
 * has no such condition.
 */
export function readStaleRule(rule: SegmentGroup): { staleDays: number; suppress: boolean } | null {
  let staleDays: number | null = null;
  let suppress = false;
  const walk = (group: SegmentGroup) => {
    for (const child of group.children) {
      if (child.kind === 'group') walk(child);
      else if (child.column === 'DaysSinceLastemail' && child.operator === '>' && typeof child.value === 'number') staleDays = child.value;
      else if (child.column === 'NextMeetingDate' && child.operator === 'isEmpty') suppress = true;
    }
  };
  walk(rule);
  return staleDays === null ? null : { staleDays, suppress };
}
