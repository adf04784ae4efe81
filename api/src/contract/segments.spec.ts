import { staleRule } from '../engagement/segments';
import { rawGroupDepth, segmentRuleSchema } from './segments';

const condition = (extra: Record<string, unknown>) => ({ kind: 'group', op: 'and', children: [{ kind: 'condition', ...extra }] });

describe('segmentRuleSchema', () => {
  it('when isEmpty carries value null, then the value is dropped', () => {
    expect(segmentRuleSchema.parse(condition({ column: 'NextMeetingDate', operator: 'isEmpty', value: null }))).toEqual({
      kind: 'group',
      op: 'and',
      children: [{ kind: 'condition', column: 'NextMeetingDate', operator: 'isEmpty' }],
    });
  });

  it.each([
    [{ column: 'EngagementScore', operator: '>', value: 'x' }, 'is a number'],
    [{ column: 'LastInboundDate', operator: '<', value: 'yesterday' }, 'is a date'],
    [{ column: 'EngagementScore', operator: '=' }, 'needs a value'],
  ])('when the condition is %j, then the message says "%s"', (c, message) => {
    const result = segmentRuleSchema.safeParse(condition(c));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toContain(message);
  });

  it('when groups nest too deep, then the rule is refused', () => {
    let rule: Record<string, unknown> = { kind: 'group', op: 'and', children: [] };
    for (let i = 0; i < 7; i += 1) rule = { kind: 'group', op: 'or', children: [rule] };
    expect(segmentRuleSchema.safeParse(rule).success).toBe(false);
  });

  it('when a rule nests 1,000 groups deep, then it is refused with the depth, without recursing into it', () => {
    let rule: Record<string, unknown> = { kind: 'group', op: 'and', children: [] };
    for (let i = 0; i < 999; i += 1) rule = { kind: 'group', op: 'or', children: [rule] };
    const result = segmentRuleSchema.safeParse(rule);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['groups nest at most 6 deep and this rule nests 1000; flatten it']);
  });
});

describe('rawGroupDepth', () => {
  const group = (...children: unknown[]) => ({ kind: 'group', op: 'and', children });
  const condition = { kind: 'condition', column: 'EngagementScore', operator: '>', value: 1 };
  it.each<[string, unknown, number]>([
    ['not an object', 'x', 0],
    ['a condition', condition, 0],
    ['an empty group', group(), 1],
    ['a group of conditions', group(condition, condition), 1],
    ['the deepest branch counts', group(condition, group(group()), group()), 3],
    ['children that are not an array', { kind: 'group', children: 'x' }, 0],
  ])('when the rule is %s, then the depth is %i', (_label, rule, depth) => {
    expect(rawGroupDepth(rule)).toBe(depth);
  });
});

describe('segmentRuleSchema: shape', () => {
  it('when a nested rule is well formed, then it parses', () => {
    const rule = { kind: 'group', op: 'and', children: [{ kind: 'group', op: 'or', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>', value: 3 }] }] };
    expect(segmentRuleSchema.parse(rule)).toEqual(rule);
  });

  it.each([
    ['an unknown column', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'Subject', operator: '=', value: 'x' }] }],
    ['an unknown operator', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: 'like', value: 1 }] }],
    ['a comparison without a value', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>' }] }],
    ['an unknown group op', { kind: 'group', op: 'xor', children: [] }],
    ['an extra property', { kind: 'group', op: 'and', children: [], sql: 'drop table' }],
  ])('when the rule has %s, then it is rejected', (_label, rule) => {
    expect(segmentRuleSchema.safeParse(rule).success).toBe(false);
  });

  it('when the stale rule is built, then it validates against the rule schema (the API can store it)', () => {
    expect(segmentRuleSchema.safeParse(staleRule({ staleDays: 60, upcomingMeetingSuppressesStale: true })).success).toBe(true);
  });
});
