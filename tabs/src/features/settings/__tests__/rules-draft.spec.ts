import { checkDraft, draftFrom, sameRules, weightSum, type Rules, type RulesDraft } from '../components/rules-draft';

const RULES: Rules = {
  staleDays: 60,
  upcomingMeetingSuppressesStale: true,
  weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 },
  extraInternalDomains: ['contoso-sub.com'],
  exclusions: ['partner@fabrikam.com', '@news.example.com'],
  minimumColleagues: 1,
};
const draft = (patch: Partial<RulesDraft> = {}): RulesDraft => ({ ...draftFrom(RULES), ...patch });

describe('draftFrom', () => {
  it('when the saved rules are read, then weights are percent and lists one entry per line', () => {
    expect(draftFrom(RULES)).toEqual({
      staleDays: '60',
      upcomingMeetingSuppressesStale: true,
      weights: { emails: '30', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' },
      extraInternalDomains: 'contoso-sub.com',
      exclusions: 'partner@fabrikam.com\n@news.example.com',
      minimumColleagues: '1',
    });
  });

  it('when the untouched draft is checked, then it gives back the same rules', () => {
    const { rules } = checkDraft(draft());
    expect(rules).toEqual(RULES);
    expect(sameRules(rules!, RULES)).toBe(true);
  });
});

describe('weightSum', () => {
  it.each([
    [{ emails: '30', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' }, 100],
    [{ emails: '33.33', meetings: '33.33', breadth: '33.34', recency: '0', reciprocity: '0' }, 100],
    [{ emails: '40,5', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' }, 110.5],
    [{ emails: '', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' }, null],
    [{ emails: 'abc', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' }, null],
  ])('when the weights are %j, then the sum is %p', (weights, expected) => {
    expect(weightSum(weights)).toBe(expected);
  });
});

describe('checkDraft', () => {
  it.each<[string, Partial<RulesDraft>, (p: ReturnType<typeof checkDraft>['problems']) => unknown, unknown]>([
    ['a threshold of 0', { staleDays: '0' }, (p) => p.staleDays, 'tooSmall'],
    ['a threshold of 366', { staleDays: '366' }, (p) => p.staleDays, 'tooLarge'],
    ['a fractional threshold', { staleDays: '12.5' }, (p) => p.staleDays, 'notWhole'],
    ['an empty threshold', { staleDays: ' ' }, (p) => p.staleDays, 'notWhole'],
    ['weights adding up to 90', { weights: { emails: '20', meetings: '30', breadth: '15', recency: '15', reciprocity: '10' } }, (p) => p.weightsSum, 90],
    ['a weight over 100', { weights: { emails: '130', meetings: '0', breadth: '0', recency: '0', reciprocity: '-30' } }, (p) => p.weights, { emails: 'outOfRange', reciprocity: 'notNumber' }],
    ['a bad third domain line', { extraInternalDomains: 'a.com\n\nnot a domain\nb.com' }, (p) => p.extraInternalDomains, [{ line: 3, text: 'not a domain' }]],
    ['an exclusion without a domain', { exclusions: 'ok@fabrikam.com\nsomeone' }, (p) => p.exclusions, [{ line: 2, text: 'someone' }]],
    ['a privacy threshold of 101', { minimumColleagues: '101' }, (p) => p.minimumColleagues, 'tooLarge'],
    ['201 domains', { extraInternalDomains: Array.from({ length: 201 }, (_, i) => `d${i}.com`).join('\n') }, (p) => p.tooManyDomains, true],
  ])('when the draft has %s, then the problem is named and nothing is sent', (_, patch, pick, expected) => {
    const { problems, rules } = checkDraft(draft(patch));
    expect(pick(problems)).toEqual(expected);
    expect(rules).toBeNull();
  });

  it('when lists have blanks, capitals, repeats and a leading @ on a domain, then the rules are clean', () => {
    const { rules } = checkDraft(
      draft({ staleDays: ' 45 ', extraInternalDomains: '\n@Contoso-Sub.com\ncontoso-sub.com\n  other.org  \n', exclusions: 'A@Fabrikam.com\na@fabrikam.com\n' }),
    );
    expect(rules).toMatchObject({ staleDays: 45, extraInternalDomains: ['contoso-sub.com', 'other.org'], exclusions: ['a@fabrikam.com'] });
  });

  it('when weights are typed with decimals, then the shares add up to 1 as the API requires', () => {
    const { rules } = checkDraft(draft({ weights: { emails: '33.33', meetings: '33.33', breadth: '33.34', recency: '0', reciprocity: '0' } }));
    const w = rules!.weights;
    expect(w).toEqual({ emails: 0.3333, meetings: 0.3333, breadth: 0.3334, recency: 0, reciprocity: 0 });
    expect(Math.abs(w.emails + w.meetings + w.breadth + w.recency + w.reciprocity - 1)).toBeLessThan(1e-6);
  });
});
