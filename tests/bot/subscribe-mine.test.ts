/**
 * A seller's own stale alerts in personal chat (`subscribe mine`), and the summaries held back
 * for a conversation's chosen day and hour (the bot's document holds them until deliverDue).
 */
import { channelMessage, installInTeam, installPersonal, personalConversationId, personalMessage, SELLER, TENANT_ID, type ChannelAt } from './activities';
import { expectValidCards } from './card-validation';
import { FakeEngagement, officeRow, runInfo, staleRow } from './fakes';
import { NOW, startHarness, type Harness } from './harness';

const TEAM = '19:team-a@thread.tacv2';
const EMEA: ChannelAt = { teamId: TEAM, channelId: '19:emea@thread.tacv2' };
const PERSONAL = personalConversationId();
const PERSONAL_KEY = `_${TENANT_ID}_${PERSONAL}`;
const SELLER_EMAIL = 'avery.seller@contoso.example';

const previous = [officeRow('acc-1', 'Fabrikam Inc.'), officeRow('acc-2', 'Contoso Pharma'), officeRow('acc-3', 'Tailspin Toys')];
/** Contoso and Tailspin go quiet in this run; the seller owns Contoso only. */
const current = [officeRow('acc-1', 'Fabrikam Inc.'), staleRow('acc-2', 'Contoso Pharma'), staleRow('acc-3', 'Tailspin Toys')];

let h: Harness;
/** Addresses the owner look-up was asked about. */
let askedFor: string[];

beforeEach(async () => {
  const engagement = new FakeEngagement();
  engagement.rows = current;
  engagement.run = runInfo('run-2');
  askedFor = [];
  engagement.accountsOwnedBy = (email) => {
    askedFor.push(email);
    return Promise.resolve(email === SELLER_EMAIL ? new Set(['acc-2']) : new Set<string>());
  };
  h = await startHarness({ engagement });
  await h.post(installInTeam(h.serviceUrl, TEAM));
  await h.post(installPersonal(h.serviceUrl));
  h.connector.members.set(SELLER.id, { id: SELLER.id, name: SELLER.name, aadObjectId: SELLER.aadObjectId, email: 'Avery.Seller@Contoso.example', userPrincipalName: 'avery@contoso.onmicrosoft.example' });
  h.connector.clear();
});
afterEach(() => h.close());

async function say(text: string, locale = 'en-US'): Promise<string> {
  const before = h.connector.texts(PERSONAL).length;
  await h.post({ ...personalMessage(h.serviceUrl, text), locale });
  return h.connector.texts(PERSONAL).slice(before).join('\n');
}

const alertCards = (conversationId: string) => h.connector.cards(conversationId).filter((c) => JSON.stringify(c).includes('has gone quiet'));

describe('subscribe mine', () => {
  test('when a seller subscribes in personal chat, then their address comes from the connector and is stored lower-cased with the chat', async () => {
    const reply = await say('subscribe mine');

    expect(reply).toBe(`Done: I will tell you here when one of your accounts goes quiet. Accounts whose owner is ${SELLER_EMAIL}: 1.`);
    expect(h.connector.memberLookups).toEqual([`${PERSONAL}/${SELLER.id}`]);
    expect(askedFor).toEqual([SELLER_EMAIL]);
    expect((await h.store.read()).subscriptions[PERSONAL_KEY]).toMatchObject({ key: PERSONAL_KEY, teamId: null, owner: SELLER_EMAIL });
    // Asked again: nothing changes and the reply says so.
    expect(await say('subscribe mine')).toContain('You already get alerts here');
    expect(Object.keys((await h.store.read()).subscriptions)).toEqual([PERSONAL_KEY]);
  });

  test('when the member has no email, then the user principal name is used', async () => {
    h.connector.members.set(SELLER.id, { id: SELLER.id, userPrincipalName: 'Avery.Seller@contoso.example' });
    await say('subscribe mine');
    expect((await h.store.read()).subscriptions[PERSONAL_KEY]?.owner).toBe(SELLER_EMAIL);
  });

  test('when the connector does not know the sender, then the bot says it cannot match them and stores nothing', async () => {
    h.connector.members.clear();
    const reply = await say('subscribe mine');

    expect(reply).toContain('Teams did not tell me your email address');
    expect((await h.store.read()).subscriptions).toEqual({});
    expect(h.logs.some((l) => l.level === 'warn' && l.message.includes('sender address'))).toBe(true);
  });

  test('when no owner column is mapped, then the bot says an admin must map one and stores nothing', async () => {
    h.engagement.accountsOwnedBy = () => Promise.resolve(null);
    expect(await say('subscribe mine')).toContain('need an owner column');
    expect((await h.store.read()).subscriptions).toEqual({});
  });

  test('when no account names the seller yet, then the subscription is kept and the reply says why nothing will come now', async () => {
    h.connector.members.set(SELLER.id, { id: SELLER.id, email: 'new.seller@contoso.example' });
    expect(await say('subscribe mine')).toContain('no account names new.seller@contoso.example as its owner yet');
    expect((await h.store.read()).subscriptions[PERSONAL_KEY]?.owner).toBe('new.seller@contoso.example');
  });

  test('when used in a channel, then it points to the personal chat and subscribes nothing', async () => {
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe mine'));
    expect(h.connector.texts(EMEA.channelId)).toEqual(['`subscribe mine` works in your personal chat with me. Here, `subscribe` alerts this conversation about every account.']);
    expect((await h.store.read()).subscriptions).toEqual({});
    expect(h.connector.memberLookups).toEqual([]);
  });

  test('when written in Indonesian, then `langganan saya` subscribes and answers in Indonesian', async () => {
    const reply = await say('langganan saya', 'id-ID');
    expect(reply).toBe(`Selesai: saya akan memberi tahu Anda di sini saat salah satu akun Anda mulai sepi. Akun dengan pemilik ${SELLER_EMAIL}: 1.`);
  });

  test('when a run makes accounts stale, then the seller gets only their own, the channel gets all, and unsubscribe stops it', async () => {
    await say('subscribe mine');
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
    h.connector.clear();
    askedFor = [];

    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    const mine = alertCards(PERSONAL);
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0])).toContain('Contoso Pharma');
    expect(JSON.stringify(mine[0])).not.toContain('Tailspin');
    expect(alertCards(EMEA.channelId)).toHaveLength(2);
    expect(report.alerts).toMatchObject({ delivered: 3, failed: 0 });
    expect(askedFor).toEqual([SELLER_EMAIL]);
    expectValidCards(mine);
    for (const card of mine) expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);

    expect(await say('unsubscribe')).toBe('Done: no more alerts here when an account goes quiet.');
    expect((await h.store.read()).subscriptions[PERSONAL_KEY]).toBeUndefined();
  });

  test('when the owner column is unmapped after subscribing, then the seller gets no alert rather than every account', async () => {
    await say('subscribe mine');
    h.engagement.accountsOwnedBy = () => Promise.resolve(null);
    h.connector.clear();

    await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(alertCards(PERSONAL)).toEqual([]);
  });
});

describe('summaries held back for a chosen day and hour', () => {
  test('when a conversation chose Monday 08:00 Jakarta, then the run holds its summary and deliverDue posts it once then', async () => {
    await h.close();
    let now = NOW;
    const engagement = new FakeEngagement();
    engagement.rows = current;
    engagement.run = runInfo('run-2');
    h = await startHarness({ engagement, clock: () => now });
    await h.post(installInTeam(h.serviceUrl, TEAM));
    await h.post(installPersonal(h.serviceUrl));
    h.connector.clear();
    const teamKey = `_${TENANT_ID}_${TEAM}`;
    await h.store.update((draft) => {
      draft.conversationSettings[teamKey] = { weeklySummary: true, summaryDay: 1, summaryHour: 8, timeZone: 'Asia/Jakarta', staleDays: null, locale: 'en-US', updatedAt: NOW.toISOString() };
    });

    await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    // The personal chat chose nothing: its summary goes now. The team's waits.
    expect(h.connector.cards(PERSONAL)).toHaveLength(1);
    expect(h.connector.cards(TEAM)).toEqual([]);
    // NOW is Monday 2026-01-12 09:00 UTC = 16:00 in Jakarta, so the next Monday 08:00 there is 2026-01-19 01:00 UTC.
    expect((await h.store.read()).pendingSummaries[teamKey]).toMatchObject({ runId: 'run-2', dueAt: '2026-01-19T01:00:00.000Z', newlyStale: ['acc-2', 'acc-3'] });
    expect(await h.notifier.deliverDue()).toBe(0);
    expect(h.connector.cards(TEAM)).toEqual([]);

    now = new Date('2026-01-19T01:00:00.000Z');
    expect(await h.notifier.deliverDue()).toBe(1);
    const [summary] = h.connector.cards(TEAM);
    expect(JSON.stringify(summary)).toContain('Contoso Pharma');
    expectValidCards([summary]);
    expect((await h.store.read()).pendingSummaries).toEqual({});
    // A second tick (or a restart's first) sends nothing again.
    expect(await h.notifier.deliverDue()).toBe(0);
    expect(h.connector.cards(TEAM)).toHaveLength(1);
  });
});
