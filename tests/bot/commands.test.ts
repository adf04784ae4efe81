import { ADMIN, channelMessage, groupChatMessage, personalConversationId, personalMessage, SELLER, TENANT_ID, type ChannelAt } from './activities';
import { expectValidCards } from './card-validation';
import { FakeEngagement, officeRow, runInfo, staleRow } from './fakes';
import { startHarness, type Harness } from './harness';

const EMEA: ChannelAt = { teamId: '19:team-a@thread.tacv2', channelId: '19:emea@thread.tacv2' };

function engagementWithAccounts(): FakeEngagement {
  const engagement = new FakeEngagement();
  engagement.rows = [
    officeRow('acc-1', 'Fabrikam Inc.', { EngagementScore: 91, EngagementBand: 'High', EngagementScoreChange: 12 }),
    officeRow('acc-2', 'Contoso Pharma', { EngagementScore: 64, EngagementScoreChange: -9 }),
    officeRow('acc-3', 'Contoso Retail', { EngagementScore: 55 }),
    officeRow('acc-4', 'Northwind Traders', { EngagementScore: 40 }),
    staleRow('acc-5', 'Tailspin Toys'),
    staleRow('acc-6', 'Wide World Importers', { NextMeetingDate: '2026-02-01T10:00:00.000Z' }),
    officeRow('acc-7', 'Adventure Works', { DaysSinceLastemail: 75, DaysSinceLastMeeting: null, EngagementScore: 20, EngagementBand: 'Low' }),
  ];
  engagement.run = runInfo('run-1');
  engagement.next = new Date('2026-01-19T06:00:00.000Z');
  engagement.admins.add(ADMIN.aadObjectId);
  return engagement;
}

describe('bot commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ engagement: engagementWithAccounts() });
  });
  afterEach(() => h.close());

  /** Sends a personal message and returns what the bot answered. */
  async function ask(text: string, from = SELLER) {
    h.connector.clear();
    const res = await h.post(personalMessage(h.serviceUrl, text, from));
    expect(res.status).toBe(200);
    return { texts: h.connector.texts(personalConversationId(from)), cards: h.connector.cards(personalConversationId(from)) };
  }

  test('when a user asks for help, then every command is listed with its help text', async () => {
    const { texts } = await ask('help');

    expect(texts).toHaveLength(1);
    for (const usage of ['help', 'score <account>', 'top [n]', 'stale [days]', 'summary', 'status', 'settings', 'subscribe', 'unsubscribe', 'run']) {
      expect(texts[0]).toContain(`**${usage}**`);
    }
  });

  test('when the command is unknown, then the bot answers with help', async () => {
    const { texts } = await ask('dance please');

    expect(texts[0]).toContain('I don\'t know "dance"');
    expect(texts[0]).toContain('**score <account>**');
  });

  test('when a channel message @mentions the bot, then the mention is stripped before the command is read', async () => {
    const res = await h.post(channelMessage(h.serviceUrl, EMEA, 'score fabrikam'));

    expect(res.status).toBe(200);
    const replies = h.connector.delivered(EMEA.channelId);
    expect(replies).toHaveLength(1);
    // A reply in the thread of the message.
    expect(replies[0]!.activityId).toMatch(/^incoming-/);
    expect(JSON.stringify(h.connector.cards(EMEA.channelId))).toContain('Fabrikam Inc.');
  });

  test('when a user asks for the score of a misspelt account, then the fuzzy match finds it and answers with its card', async () => {
    const { cards } = await ask('score Fabrikm');

    expect(cards).toHaveLength(1);
    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Fabrikam Inc.');
    expect(card).toContain('**91** (high)');
    expect(card).toContain('Emails (last year)');
    expect(card).toContain('subEntityId');
  });

  test('when the account name is ambiguous, then a card offers one button per candidate and names no internal id', async () => {
    const { texts, cards } = await ask('score contoso');

    expect(texts).toHaveLength(0);
    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Several accounts match \\"contoso\\"');
    const buttons = (cards[0] as { body: { type: string; actions?: { title: string; verb: string; data: unknown }[] }[] }).body.find((b) => b.type === 'ActionSet')!.actions!;
    expect(buttons).toEqual([
      { type: 'Action.Execute', title: 'Contoso Pharma · 64 (medium)', verb: 'rapport.account.score', data: { accountId: 'acc-2' } },
      { type: 'Action.Execute', title: 'Contoso Retail · 55 (medium)', verb: 'rapport.account.score', data: { accountId: 'acc-3' } },
    ]);
    expect(card).not.toContain('`score acc-');
  });

  test('when no account matches, then the bot says so clearly', async () => {
    const { texts } = await ask('score Globex');

    expect(texts).toEqual(['No account matches "Globex". Check the spelling, or try part of the name.']);
  });

  test('when score has no account, then the bot asks which one', async () => {
    const { texts } = await ask('score');

    expect(texts[0]).toContain('Which account?');
  });

  test('when a user asks for top without n, then the five best accounts are listed in score order', async () => {
    const { cards } = await ask('top');

    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Top 5 accounts');
    expect(card.indexOf('Fabrikam')).toBeLessThan(card.indexOf('Contoso Pharma'));
    expect(card).not.toContain('Tailspin');
  });

  test('when top asks for more than 25, then it is capped at 25 and says so; a bad n gets the usage', async () => {
    const capped = await ask('top 99');
    const bad = await ask('top lots');

    expect(JSON.stringify(capped.cards[0])).toContain('Showing the maximum of 25');
    expect(bad.texts[0]).toContain('`top` takes a number from 1 to 25');
  });

  test('when a user asks for stale accounts, then the stale segment with upcoming-meeting suppression is listed', async () => {
    const { cards } = await ask('stale');

    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Tailspin Toys');
    expect(card).toContain('Adventure Works');
    expect(card).not.toContain('Wide World'); // a meeting is planned
    expect(card).not.toContain('Northwind');
  });

  test('when stale is given a number of days, then that threshold is used', async () => {
    const { cards } = await ask('stale 80');

    const card = JSON.stringify(cards[0]);
    expect(card).toContain('more than 80 days');
    expect(card).toContain('Tailspin Toys');
    expect(card).not.toContain('Adventure Works'); // 75 days since the last email
  });

  test('when a user asks for the summary, then a summary card with totals, top accounts and movers comes back', async () => {
    const { cards } = await ask('summary');

    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Customers enriched');
    expect(card).toContain('1,234');
    expect(card).toContain('Biggest movers up');
    expect(card).toContain('Biggest movers down');
    expect(card).toContain('Action.OpenUrl');
  });

  test('when a user asks for status, then the last and the next run are described', async () => {
    const { texts } = await ask('status');

    expect(texts[0]).toContain('The last run finished Jan 12, 2026, 6:05 AM UTC. 3 customers enriched from 1,234 emails and 210 meetings.');
    expect(texts[0]).toContain('The next run is scheduled for Jan 19, 2026, 6:00 AM UTC.');
    expect(texts[0]).not.toMatch(/run-1|succeeded|T06:/);
  });

  test('when a channel subscribes and unsubscribes, then the subscription is stored for that channel and removed again', async () => {
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
    const subscribed = await h.store.read();
    await h.post(channelMessage(h.serviceUrl, EMEA, 'unsubscribe'));

    expect(Object.values(subscribed.subscriptions)).toEqual([
      expect.objectContaining({ key: `_${TENANT_ID}_${EMEA.channelId}`, teamId: EMEA.teamId, reference: expect.objectContaining({ conversation: expect.objectContaining({ id: EMEA.channelId }) }) }),
    ]);
    expect((await h.store.read()).subscriptions).toEqual({});
    const texts = h.connector.texts(EMEA.channelId);
    expect(texts[0]).toBe('Done: I will post here when an account goes quiet.');
    expect(texts[1]).toBe('Done: no more alerts here when an account goes quiet.');
  });

  test('when subscribe is used in a personal chat, then the bot explains `subscribe mine` and stores nothing', async () => {
    const { texts } = await ask('subscribe');
    const mine = await ask('subscribe mine');

    expect(texts[0]).toContain('`subscribe mine`');
    // The customer dataset maps no owner yet, and the bot says so rather than pretending.
    expect(mine.texts[0]).toContain('need an owner column');
    expect((await h.store.read()).subscriptions).toEqual({});
  });

  test('when a group chat subscribes, then the chat itself gets the alerts', async () => {
    await h.post(groupChatMessage(h.serviceUrl, '19:chat@thread.v2', 'subscribe'));

    expect(Object.keys((await h.store.read()).subscriptions)).toEqual([`_${TENANT_ID}_19:chat@thread.v2`]);
    expect(h.connector.texts('19:chat@thread.v2')).toEqual(['Done: I will post here when an account goes quiet.']);
  });

  test('when a non-admin asks for a run, then the bot politely refuses and starts nothing', async () => {
    const { texts } = await ask('run');

    expect(texts[0]).toContain('Sorry, only Rapport admins can start a run');
    expect(h.engagement.runsStartedBy).toEqual([]);
  });

  test('when an admin asks for a run, then the run starts on their behalf', async () => {
    const { texts } = await ask('run', ADMIN);

    expect(texts[0]).toBe('Your run has started (Jan 12, 2026, 6:00 AM UTC). I will tell you here when it ends; `status` shows how it is going.');
    expect(h.engagement.runsStartedBy).toEqual([ADMIN.aadObjectId]);
  });

  test.each([
    ['runInProgress', 'A run is already in progress'],
    ['consentRequired', 'has not granted consent'],
    ['notConfigured', 'finish the setup wizard'],
  ] as const)('when the run is refused with %s, then the bot says why and starts nothing', async (reason, says) => {
    h.engagement.startRunRefusal = reason;

    const { texts } = await ask('run', ADMIN);

    expect(texts[0]).toContain(says);
    expect(h.engagement.runsStartedBy).toEqual([]);
  });

  test('when starting the run fails unexpectedly, then the admin gets an apology and no internals', async () => {
    h.engagement.startRunFault = new Error('disk full at /secret/path');

    const { texts } = await ask('run', ADMIN);

    expect(texts).toEqual(['Sorry, something went wrong on my side. Please try again in a moment.']);
    expect(h.engagement.runsStartedBy).toEqual([]);
  });

  test('when the engagement service fails, then the user gets an apology and no internals', async () => {
    h.engagement.yearRows = () => Promise.reject(new Error('database exploded at /secret/path'));

    const { texts } = await ask('top');

    expect(texts).toEqual(['Sorry, something went wrong on my side. Please try again in a moment.']);
    expect(h.logs.some((l) => l.level === 'error')).toBe(true);
  });

  test('when commands answer, then no card names a person', async () => {
    const cards = [];
    for (const command of ['summary', 'top', 'stale', 'score fabrikam']) cards.push(...(await ask(command)).cards);
    expect(cards).toHaveLength(4);
    expectValidCards(cards);
    const all = JSON.stringify(cards);
    expect(all).not.toContain(SELLER.name);
    expect(all).not.toContain(SELLER.aadObjectId);
  });
});
