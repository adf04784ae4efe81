import { segmentRuleSchema } from './segment-rules';

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
});
