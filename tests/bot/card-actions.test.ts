import { cardAction, channelMessage, installInTeam, TENANT_ID, type ChannelAt } from './activities';
import { expectValidCards } from './card-validation';
import { FakeEngagement, officeRow, runInfo, staleRow } from './fakes';
import { NOW, startHarness, type Harness } from './harness';

const EMEA: ChannelAt = { teamId: '19:team-a@thread.tacv2', channelId: '19:emea@thread.tacv2' };
const US: ChannelAt = { teamId: '19:team-a@thread.tacv2', channelId: '19:us@thread.tacv2' };
const EMEA_KEY = `_${TENANT_ID}_${EMEA.channelId}`;

const active = [officeRow('acc-2', 'Contoso Pharma'), officeRow('acc-3', 'Tailspin Toys')];
const stale = [staleRow('acc-2', 'Contoso Pharma'), staleRow('acc-3', 'Tailspin Toys')];

function alertsIn(h: Harness, channel: string, account: string) {
  return h.connector.delivered(channel).filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes(`${account} has gone quiet`));
}

describe('stale alert card actions', () => {
  let h: Harness;
  let now: Date;
  beforeEach(async () => {
    now = NOW;
    const engagement = new FakeEngagement();
    engagement.rows = stale;
    h = await startHarness({ engagement, clock: () => now });
    await h.post(installInTeam(h.serviceUrl, EMEA.teamId));
    for (const channel of [EMEA, US]) await h.post(channelMessage(h.serviceUrl, channel, 'subscribe'));
    await h.notifier.afterRun({ previous: active, current: stale, run: runInfo('run-2') });
  });
  afterEach(() => h.close());

  test('when someone snoozes an alert, then the snooze is stored for that channel and the card is updated for everyone', async () => {
    const [alert] = alertsIn(h, EMEA.channelId, 'Contoso Pharma');
    const cardId = 'activity-posted-1';

    const res = await h.post(cardAction(h.serviceUrl, EMEA, cardId, 'rapport.alert.snooze', { accountId: 'acc-2', accountName: 'Contoso Pharma' }));

    expect(alert).toBeDefined();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(res.body.value)).toContain('Snoozed until Feb 11, 2026 by Avery Seller (Jan 12, 2026, 9:00 AM UTC)');
    const mark = (await h.store.read()).accountMarks[`${EMEA_KEY}|acc-2`];
    expect(mark).toEqual({ conversationKey: EMEA_KEY, accountId: 'acc-2', snoozedUntil: '2026-02-11T09:00:00.000Z', handledAt: null });
    const updates = h.connector.delivered(EMEA.channelId).filter((r) => r.method === 'PUT');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.activityId).toBe(cardId);
    expectValidCards([res.body.value, ...h.connector.cards()]);
  });

  test('when an account was snoozed, then it is not alerted in that channel until the snooze ends, but the other channel still gets it', async () => {
    await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.alert.snooze', { accountId: 'acc-2' }));
    h.connector.clear();

    // Contoso recovers, then goes stale again within the 30 days.
    now = new Date('2026-01-19T09:00:00.000Z');
    await h.notifier.afterRun({ previous: stale, current: active, run: runInfo('run-3') });
    now = new Date('2026-01-26T09:00:00.000Z');
    await h.notifier.afterRun({ previous: active, current: stale, run: runInfo('run-4') });
    expect(alertsIn(h, EMEA.channelId, 'Contoso Pharma')).toHaveLength(0);
    expect(alertsIn(h, EMEA.channelId, 'Tailspin Toys')).toHaveLength(1);
    expect(alertsIn(h, US.channelId, 'Contoso Pharma')).toHaveLength(1);

    // After the snooze it alerts again.
    now = new Date('2026-02-16T09:00:00.000Z');
    await h.notifier.afterRun({ previous: stale, current: active, run: runInfo('run-5') });
    await h.notifier.afterRun({ previous: active, current: stale, run: runInfo('run-6') });
    expect(alertsIn(h, EMEA.channelId, 'Contoso Pharma')).toHaveLength(1);
  });

  test('when someone marks an alert handled, then it is stored, and cleared once the account is active again so it can alert anew', async () => {
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.alert.handled', { accountId: 'acc-3' }));

    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.value)).toContain('Marked handled by Avery Seller (Jan 12, 2026, 9:00 AM UTC)');
    expect((await h.store.read()).accountMarks[`${EMEA_KEY}|acc-3`]).toMatchObject({ handledAt: NOW.toISOString() });

    // The stale command shows the mark in this channel.
    h.connector.clear();
    await h.post(channelMessage(h.serviceUrl, EMEA, 'stale'));
    expect(JSON.stringify(h.connector.cards(EMEA.channelId))).toContain('Tailspin Toys _(handled)_');

    // It stays stale: no new alert. Then it recovers and goes stale again: alerted anew.
    h.connector.clear();
    await h.notifier.afterRun({ previous: stale, current: stale, run: runInfo('run-3') });
    expect(alertsIn(h, EMEA.channelId, 'Tailspin Toys')).toHaveLength(0);
    await h.notifier.afterRun({ previous: stale, current: active, run: runInfo('run-4') });
    expect((await h.store.read()).accountMarks[`${EMEA_KEY}|acc-3`]).toBeUndefined();
    await h.notifier.afterRun({ previous: active, current: stale, run: runInfo('run-5') });
    expect(alertsIn(h, EMEA.channelId, 'Tailspin Toys')).toHaveLength(1);
  });

  test('when the action data is tampered with, then nothing is stored and the user is told the card is out of date', async () => {
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.alert.snooze', { accountId: '' }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('out of date') });
    expect((await h.store.read()).accountMarks).toEqual({});
  });
});
