/** Segments (the built-in stale segment on a hand-made dataset, saved segments) and measures. */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { OFFICE_COLUMNS, type OfficeRow } from '../../api/src/engagement/types';
import type { RunningSimulator } from '../../api/src/simulator';
import { configure, runNow, startHarness, startSharedSimulator, type Harness } from './support/harness';
import { STALE_AT_20_WITHOUT_SUPPRESSION, STALE_AT_DEFAULTS } from './support/tenant';

let simulator: RunningSimulator;
let h: Harness;
beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
});
afterAll(() => simulator.close());
beforeEach(async () => {
  h = await startHarness({ sharedSimulator: simulator });
});
afterEach(() => h.close());

async function enriched(extra: Record<string, unknown> = {}): Promise<void> {
  await configure(h, extra);
  await request(h.app).post('/api/consent/check').expect(200);
  await runNow(h);
}

const ids = (rows: OfficeRow[]): string[] => rows.map((r) => r.AccountId);
const emailsOver = (n: number) => ({ kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'NoOfEmails_ToAccount', operator: '>=', value: n }] });

describe('the built-in "Stale accounts" segment', () => {
  it('when the defaults apply, then exactly the accounts DESIGN §3 calls stale are members', async () => {
    await enriched();
    const list = await request(h.app).get('/api/segments');
    expect(list.body.segments[0]).toMatchObject({ id: 'stale', name: 'Stale accounts', builtIn: true, memberCount: STALE_AT_DEFAULTS.length });
    const members = await request(h.app).get('/api/segments/stale/members');
    expect(members.body.total).toBe(STALE_AT_DEFAULTS.length);
    expect(ids(members.body.members)).toEqual(STALE_AT_DEFAULTS);
    expect((await request(h.app).get('/api/results/overview')).body.staleCount).toBe(STALE_AT_DEFAULTS.length);
  });

  it('when the threshold is 20 days and upcoming meetings do not suppress, then the members follow the configuration', async () => {
    await enriched({ rules: { staleDays: 20, upcomingMeetingSuppressesStale: false } });
    const members = await request(h.app).get('/api/segments/stale/members');
    expect(ids(members.body.members)).toEqual(STALE_AT_20_WITHOUT_SUPPRESSION);
    const segment = await request(h.app).get('/api/segments/stale');
    expect(JSON.stringify(segment.body.rule)).toContain('"value":20');
    expect(JSON.stringify(segment.body.rule)).not.toContain('NextMeetingDate');
  });

  it('when someone tries to delete or change it, then 400 explains where the threshold is set and nothing changes', async () => {
    const before = structuredClone(await h.stores.state.read());
    const del = await request(h.app).delete('/api/segments/stale');
    expect(del.status).toBe(400);
    expect(del.body.error.message).toContain('cannot be deleted');
    const put = await request(h.app).put('/api/segments/stale').send({ name: 'Mine', rule: emailsOver(1) });
    expect(put.status).toBe(400);
    expect(put.body.error.message).toContain('settings page');
    expect(await h.stores.state.read()).toEqual(before);
  });
});

describe('the stale groups: "gone quiet" and "never contacted"', () => {
  it('when the defaults apply, then the overview splits the stale count and each group segment lists exactly its accounts', async () => {
    // Arrange: B (90/100 days) and G (61 days) went quiet; D (Litware) was never contacted.
    await enriched();

    // Act
    const overview = (await request(h.app).get('/api/results/overview')).body;
    const list = (await request(h.app).get('/api/segments')).body.segments as { id: string; name: string; builtIn: boolean; memberCount: number }[];
    const quiet = await request(h.app).get('/api/segments/stale-gone-quiet/members');
    const never = await request(h.app).get('/api/segments/stale-never-contacted/members');

    // Assert
    expect(overview).toMatchObject({ staleCount: 3, staleGoneQuietCount: 2, staleNeverContactedCount: 1, staleDays: 60 });
    expect(list.slice(0, 3)).toMatchObject([
      { id: 'stale', builtIn: true, memberCount: 3 },
      { id: 'stale-gone-quiet', name: 'Stale accounts: gone quiet', builtIn: true, memberCount: 2 },
      { id: 'stale-never-contacted', name: 'Stale accounts: never contacted', builtIn: true, memberCount: 1 },
    ]);
    expect(ids(quiet.body.members)).toEqual(['B', 'G']);
    expect(ids(never.body.members)).toEqual(['D']);
    expect([...ids(quiet.body.members), ...ids(never.body.members)].sort()).toEqual(STALE_AT_DEFAULTS);
  });

  it('when the threshold is 20 days without suppression, then the groups follow it and still add up to the stale count', async () => {
    await enriched({ rules: { staleDays: 20, upcomingMeetingSuppressesStale: false } });
    const overview = (await request(h.app).get('/api/results/overview')).body;
    const quiet = await request(h.app).get('/api/segments/stale-gone-quiet/members');
    expect(overview).toMatchObject({ staleCount: STALE_AT_20_WITHOUT_SUPPRESSION.length, staleNeverContactedCount: 1, staleDays: 20 });
    expect(overview.staleGoneQuietCount + overview.staleNeverContactedCount).toBe(overview.staleCount);
    expect(ids(quiet.body.members)).toEqual(['B', 'C', 'E', 'F', 'G']);
  });

  it('when a group segment is deleted or a segment takes its name, then 400 and nothing changes', async () => {
    await enriched();
    const before = structuredClone(await h.stores.state.read());
    expect((await request(h.app).delete('/api/segments/stale-never-contacted')).status).toBe(400);
    const taken = await request(h.app).post('/api/segments').send({ name: 'Stale accounts: gone quiet', rule: emailsOver(1) });
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toContain('already exists');
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when a measure counts a group segment, then it counts its members', async () => {
    await enriched();
    const res = await request(h.app).post('/api/measures').send({ fn: 'count', segmentId: 'stale-never-contacted' });
    expect(res.status).toBe(200);
    expect(res.body.value).toBe(1);
  });
});

describe('saved segments', () => {
  beforeEach(() => enriched());

  it('when a rule is previewed, then the total and the first members come back without saving', async () => {
    const writes = h.stores.state.writes;
    const res = await request(h.app).post('/api/segments/preview').send({ rule: emailsOver(1) });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(6);
    expect(ids(res.body.members)).toEqual(['A', 'B', 'C', 'E', 'F', 'G']);
    expect(h.stores.state.writes).toBe(writes);
  });

  it('when a segment is created, changed and deleted, then the list follows each step', async () => {
    const created = await request(h.app).post('/api/segments').send({ name: 'Emailed', rule: emailsOver(1) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^seg_/), name: 'Emailed', builtIn: false, memberCount: 6, createdBy: 'Demo Admin' });
    const id = created.body.id as string;

    const orRule = {
      kind: 'group',
      op: 'or',
      children: [
        { kind: 'condition', column: 'AccountName', operator: '=', value: 'fabrikam' },
        { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'DaysSinceLastMeeting', operator: '<=', value: 30 }] },
      ],
    };
    const changed = await request(h.app).put(`/api/segments/${id}`).send({ name: 'Fabrikam or recent meeting', rule: orRule });
    expect(changed.status).toBe(200);
    expect(changed.body.memberCount).toBe(2);
    expect(ids((await request(h.app).get(`/api/segments/${id}/members`)).body.members)).toEqual(['A', 'E']);

    const list = await request(h.app).get('/api/segments');
    const builtIns = ['stale', 'stale-gone-quiet', 'stale-never-contacted'];
    expect(list.body.segments.map((s: { id: string }) => s.id)).toEqual([...builtIns, id]);
    expect((await request(h.app).delete(`/api/segments/${id}`)).status).toBe(204);
    expect((await request(h.app).get('/api/segments')).body.segments.map((s: { id: string }) => s.id)).toEqual(builtIns);
    expect((await request(h.app).get(`/api/segments/${id}`)).status).toBe(404);
  });

  it('when members are asked as CSV, then the file has the Office columns and one line per member', async () => {
    const res = await request(h.app).get('/api/segments/stale/members?format=csv');
    expect(res.type).toBe('text/csv');
    const records = parse(res.text) as string[][];
    expect(records[0]).toEqual([...OFFICE_COLUMNS]);
    expect(records.slice(1).map((r) => r[0])).toEqual(STALE_AT_DEFAULTS);
  });

  it.each([
    ['an unknown column', 'body.rule.children.0.column', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'Subject', operator: '=', value: 'x' }] }],
    ['a comparison without a value', 'needs a value', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>' }] }],
    ['text in a number column', 'is a number', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>', value: 'high' }] }],
    ['an unknown operator', 'body.rule.children.0.operator', { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: 'like', value: 1 }] }],
    ['a bad group op', 'body.rule.op', { kind: 'group', op: 'xor', children: [] }],
    ['a child without a kind', 'kind "condition" or "group"', { kind: 'group', op: 'and', children: [{ column: 'EngagementScore', operator: '>', value: 1 }] }],
  ])('when the rule has %s, then 400 VALIDATION_FAILED says %s and nothing is stored', async (_what, hint, rule) => {
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).post('/api/segments').send({ name: 'Bad', rule });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(hint) });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when a name is taken, then 400 asks for another name and nothing is stored', async () => {
    await request(h.app).post('/api/segments').send({ name: 'Emailed', rule: emailsOver(1) }).expect(201);
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).post('/api/segments').send({ name: 'emailed', rule: emailsOver(2) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('already exists');
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when isEmpty carries value null (as the tab sends it), then it is accepted', async () => {
    const rule = { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'DaysSinceLastemail', operator: 'isEmpty', value: null }] };
    const res = await request(h.app).post('/api/segments/preview').send({ rule });
    expect(res.status).toBe(200);
    expect(ids(res.body.members)).toEqual(['D']);
  });
});

describe('POST /api/measures', () => {
  beforeEach(() => enriched());

  it('when counting all accounts, then the year rows are counted', async () => {
    expect((await request(h.app).post('/api/measures').send({ fn: 'count' })).body).toEqual({ value: 7 });
  });

  it('when summing a column over a segment, then only its members count', async () => {
    const all = await request(h.app).post('/api/measures').send({ fn: 'sum', column: 'NoOfEmails_ToAccount' });
    expect(all.body.value).toBe(6);
    const stale = await request(h.app).post('/api/measures').send({ fn: 'sum', column: 'NoOfEmails_ToAccount', segmentId: 'stale' });
    expect(stale.body.value).toBe(2);
    const max = await request(h.app).post('/api/measures').send({ fn: 'max', column: 'DaysSinceLastemail', segmentId: 'stale' });
    expect(max.body.value).toBe(90);
    const avg = await request(h.app).post('/api/measures').send({ fn: 'avg', column: 'DaysSinceLastMeeting' });
    expect(avg.body.value).toBe(65);
  });

  it('when asked by month, then each month with activity gets its value, oldest first', async () => {
    const res = await request(h.app).post('/api/measures').send({ fn: 'sum', column: 'NoOfEmails_ToAccount', byMonth: true });
    const months = res.body.byMonth as { month: string; value: number }[];
    expect(months.map((m) => m.month)).toEqual([...months.map((m) => m.month)].sort());
    expect(months.reduce((a, m) => a + m.value, 0)).toBe(6);
  });

  it.each([
    ['an unknown function', 'body.fn', { fn: 'median', column: 'EngagementScore' }],
    ['a sum of text', 'not a number', { fn: 'sum', column: 'AccountName' }],
    ['an average without a column', 'needs a numeric column', { fn: 'avg' }],
  ])('when the measure has %s, then 400 says %s', async (_what, hint, body) => {
    const res = await request(h.app).post('/api/measures').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(hint);
  });

  it('when the segment does not exist, then 404', async () => {
    expect((await request(h.app).post('/api/measures').send({ fn: 'count', segmentId: 'seg_nope' })).status).toBe(404);
  });
});
