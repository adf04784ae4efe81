/**
 * The privacy threshold in the bot: the API hands the bot rows as a viewer who is not an admin
 * (server/src/bot-engagement.ts), so an account that fewer colleagues than `minimumColleagues`
 * work with arrives with its activity hidden. The bot shows its score and band, says why the
 * rest is hidden, and never reads the hidden nulls as "never" (no stale listing, no alert).
 */
import { cardAction, channelMessage, installInTeam, personalConversationId, personalMessage, SELLER, type ChannelAt } from './activities';
import { expectValidCards } from './card-validation';
import { FakeEngagement, hiddenRow, officeRow, runInfo, staleRow } from './fakes';
import { startHarness, type Harness } from './harness';

const TEAM = '19:team-a@thread.tacv2';
const EMEA: ChannelAt = { teamId: TEAM, channelId: '19:emea@thread.tacv2' };
const SENTENCE = 'Activity details are hidden because fewer than 3 colleagues work with this account (privacy setting).';

/** Litware: one colleague works with it, threshold 3; stored, it is quiet for 77 days (stale). */
const litware = () => hiddenRow('acc-9', 'Litware', 3, { EngagementScore: 14, EngagementBand: 'Low', EngagementScoreChange: -2 });

describe('the bot and rows hidden by the privacy threshold', () => {
  let h: Harness;
  let engagement: FakeEngagement;
  beforeEach(async () => {
    engagement = new FakeEngagement();
    engagement.rows = [officeRow('acc-1', 'Fabrikam Inc.', { EngagementScore: 91, EngagementBand: 'High' }), staleRow('acc-5', 'Tailspin Toys'), litware()];
    engagement.run = runInfo('run-1');
    h = await startHarness({ engagement });
  });
  afterEach(() => h.close());

  async function ask(text: string) {
    h.connector.clear();
    const res = await h.post(personalMessage(h.serviceUrl, text, SELLER));
    expect(res.status).toBe(200);
    return h.connector.cards(personalConversationId(SELLER)).map((c) => JSON.stringify(c));
  }

  test('when a user asks for the score of a hidden account, then the card shows score, band and why, and no activity', async () => {
    // Act
    const cards = await ask('score litware');

    // Assert
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card).toContain('Litware');
    expect(card).toContain('**14** (low)');
    expect(card).toContain(SENTENCE);
    for (const activity of ['Emails (last year)', 'Since the last email', 'never', 'Stale', 'What makes the score', '77']) expect(card).not.toContain(activity);
    expectValidCards(h.connector.cards());
  });

  test('when the same is asked in a channel, then everyone there sees only score, band and why', async () => {
    await h.post(installInTeam(h.serviceUrl, TEAM));
    h.connector.clear();

    await h.post(channelMessage(h.serviceUrl, EMEA, 'score Litware'));

    const card = JSON.stringify(h.connector.cards(EMEA.channelId));
    expect(card).toContain(SENTENCE);
    expect(card).not.toContain('Since the last email');
  });

  test('when a visible account is asked for, then its activity is shown as before', async () => {
    const [card] = await ask('score fabrikam');

    expect(card).toContain('Emails (last year)');
    expect(card).toContain('Since the last email');
    expect(card).not.toContain('privacy setting');
  });

  test.each(['stale', 'stale 1', 'stale 70'])('when someone asks "%s", then the hidden account is not listed, whatever the threshold asked', async (command) => {
    const [card] = await ask(command);

    expect(card).not.toContain('Litware');
    expect(card).toContain('Tailspin Toys');
  });

  test('when the summary is asked for, then the hidden account counts as not stale', async () => {
    const [card] = await ask('summary');

    expect(card).toContain('"title":"Accounts gone quiet","value":"1"');
  });

  test('when a hidden account would have gone stale in a run, then no alert is posted and the summary does not name it', async () => {
    // Arrange: a subscribed channel; before the run Litware was visible and active.
    await h.post(installInTeam(h.serviceUrl, TEAM));
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
    h.connector.clear();
    const previous = [officeRow('acc-9', 'Litware', { DaysSinceLastemail: 3 })];

    // Act
    const report = await h.notifier.afterRun({ previous, current: [litware()], run: runInfo('run-2') });

    // Assert
    expect(report.newlyStale).toEqual([]);
    expect(report.alerts.delivered).toBe(0);
    const everything = JSON.stringify(h.connector.cards());
    expect(everything).not.toContain('has gone quiet');
    // Score and band stay (top accounts, movers); staleness does not.
    expect(everything).toContain('"title":"Accounts gone quiet","value":"0"');
    expect(everything).toContain('Newly gone quiet');
    expect(everything).toContain('None this week.');
  });

  test('when an alert posted before the threshold was raised is snoozed, then the updated card keeps the activity hidden', async () => {
    // Arrange: the alert went out while Litware was visible; since then the threshold hides it.
    await h.post(installInTeam(h.serviceUrl, TEAM));
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
    const visible = staleRow('acc-9', 'Litware', { DaysSinceLastemail: 77 });
    await h.notifier.afterRun({ previous: [officeRow('acc-9', 'Litware')], current: [visible], run: runInfo('run-2') });
    expect(JSON.stringify(h.connector.cards(EMEA.channelId))).toContain('Litware has gone quiet');

    // Act
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'activity-posted-1', 'rapport.alert.snooze', { accountId: 'acc-9' }));

    // Assert
    expect(res.status).toBe(200);
    const card = JSON.stringify(res.body.value);
    expect(card).toContain('Snoozed until');
    expect(card).toContain(SENTENCE);
    expect(card).not.toContain('77 days');
    expect(card).not.toContain('Since the last email');
    expectValidCards([res.body.value]);
  });
});
