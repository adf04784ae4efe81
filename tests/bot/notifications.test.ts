import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LowdbDocument } from '../../api/src/store/lowdb-document';
import { DEFAULT_DELIVERY } from '../../bot/src/notifications/fan-out';
import { botStateSchema, defaultBotState, type BotState } from '../../bot/src';
import { channelMessage, installInGroupChat, installInTeam, installPersonal, personalConversationId, SELLER, type ChannelAt } from './activities';
import { expectValidCards } from './card-validation';
import { FakeConnector } from './fake-connector';
import { FakeEngagement, officeRow, runInfo, staleRow } from './fakes';
import { startHarness, type Harness } from './harness';

const TEAMS = ['19:team-a@thread.tacv2', '19:team-b@thread.tacv2', '19:team-c@thread.tacv2'];
const EMEA: ChannelAt = { teamId: TEAMS[0]!, channelId: '19:emea@thread.tacv2' };
const US: ChannelAt = { teamId: TEAMS[1]!, channelId: '19:us@thread.tacv2' };

const previous = [
  officeRow('acc-1', 'Fabrikam Inc.', { EngagementScore: 80 }),
  officeRow('acc-2', 'Contoso Pharma'),
  officeRow('acc-3', 'Tailspin Toys'),
  staleRow('acc-4', 'Adventure Works'),
  officeRow('acc-5', 'Wide World Importers'),
];
/** Run 2: Contoso and Tailspin go stale, Adventure Works stays stale, Wide World goes quiet but has a meeting planned. */
const current = [
  officeRow('acc-1', 'Fabrikam Inc.', { EngagementScore: 92, EngagementScoreChange: 12, EngagementBand: 'High' }),
  staleRow('acc-2', 'Contoso Pharma', { EngagementScoreChange: -30 }),
  staleRow('acc-3', 'Tailspin Toys', { DaysSinceLastMeeting: null }),
  staleRow('acc-4', 'Adventure Works'),
  staleRow('acc-5', 'Wide World Importers', { NextMeetingDate: '2026-02-02T10:00:00.000Z' }),
];

function alertCards(h: Harness, channel: string) {
  return h.connector.cards(channel).filter((c) => JSON.stringify(c).includes('has gone quiet'));
}

async function installEverywhere(h: Harness) {
  for (const team of TEAMS) await h.post(installInTeam(h.serviceUrl, team));
  await h.post(installPersonal(h.serviceUrl));
  await h.post(installInGroupChat(h.serviceUrl, '19:chat-1@thread.v2'));
  await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
  await h.post(channelMessage(h.serviceUrl, US, 'subscribe'));
  h.connector.clear();
}

describe('notifier.afterRun', () => {
  let h: Harness;
  beforeEach(async () => {
    const engagement = new FakeEngagement();
    engagement.rows = current;
    h = await startHarness({ engagement });
    await installEverywhere(h);
  });
  afterEach(() => h.close());

  test('when a run finishes, then the fan-out runs on the injected pool at the delivery concurrency', async () => {
    await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    // The summary to 7 conversations, then the alerts to the 2 subscribed channels.
    expect(h.pools).toEqual([
      { items: 7, limit: DEFAULT_DELIVERY.concurrency },
      { items: 2, limit: DEFAULT_DELIVERY.concurrency },
    ]);
  });

  test('when a run finishes, then every installation and subscribed channel gets the weekly summary and the run is logged', async () => {
    // Act
    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    // Assert: 3 teams + personal + group chat + 2 subscribed channels
    expect(report.summary).toEqual({ delivered: 7, skipped: 0, failed: 0, removed: 0 });
    for (const conversation of [...TEAMS, personalConversationId(), '19:chat-1@thread.v2', EMEA.channelId, US.channelId]) {
      const summaries = h.connector.cards(conversation).filter((c) => JSON.stringify(c).includes('weekly engagement summary'));
      expect(summaries).toHaveLength(1);
    }
    const summary = JSON.stringify(h.connector.cards(TEAMS[2])[0]);
    expect(summary).toContain('Customers enriched');
    expect(summary).toContain('Fabrikam Inc.');
    expect(summary).toContain('+12 → 92');
    expect(summary).toContain('-30 → 8');
    expect(summary).toContain('Newly gone quiet');
    expect(summary).toContain('Contoso Pharma and Tailspin Toys');
    expect(summary).toContain('Action.OpenUrl');
    expectValidCards(h.connector.cards());
    expect(h.logs).toContainEqual(expect.objectContaining({ message: 'fan-out finished', fields: expect.objectContaining({ kind: 'summary', delivered: 7, failed: 0, removed: 0 }) }));
  });

  test('when accounts become stale, then each subscribed channel gets one alert per newly stale account and no one else does', async () => {
    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(report.newlyStale).toEqual(['acc-2', 'acc-3']);
    expect(report.alerts).toEqual({ delivered: 4, skipped: 0, failed: 0, removed: 0 });
    for (const channel of [EMEA.channelId, US.channelId]) {
      const alerts = alertCards(h, channel).map((c) => JSON.stringify(c));
      expect(alerts).toHaveLength(2);
      expect(alerts[0]).toContain('Contoso Pharma has gone quiet');
      expect(alerts[1]).toContain('Tailspin Toys has gone quiet');
      for (const verb of ['rapport.alert.snooze', 'rapport.alert.handled', 'Open in Rapport']) expect(alerts[0]).toContain(verb);
    }
    expect(alertCards(h, TEAMS[2]!)).toHaveLength(0);
    expect(alertCards(h, personalConversationId())).toHaveLength(0);
    expectValidCards(h.connector.cards());
    const everything = JSON.stringify(h.connector.cards());
    expect(everything).not.toContain(SELLER.name);
    expect(everything).not.toContain(SELLER.aadObjectId);
  });

  test('when afterRun is called again for the same run, then nothing is sent twice', async () => {
    await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });
    const sent = h.connector.received.length;

    const again = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(h.connector.received.length).toBe(sent);
    expect(again.summary).toEqual({ delivered: 0, skipped: 7, failed: 0, removed: 0 });
    expect(again.alerts).toEqual({ delivered: 0, skipped: 4, failed: 0, removed: 0 });
  });

  test('when a channel answers 403 BotNotInConversationRoster, then its installation and subscriptions go and the others still get theirs', async () => {
    h.connector.fail(TEAMS[0]!, { status: 403, code: 'BotNotInConversationRoster' });

    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(report.summary).toMatchObject({ delivered: 6, removed: 1 });
    const state = await h.store.read();
    expect(Object.values(state.installations).map((i) => i.reference.conversation.id)).not.toContain(TEAMS[0]);
    // team A's EMEA channel subscription went with the team
    expect(Object.values(state.subscriptions).map((s) => s.reference.conversation.id)).toEqual([US.channelId]);
    expect(alertCards(h, US.channelId)).toHaveLength(2);
    expect(h.logs).toContainEqual(expect.objectContaining({ message: 'conversation gone; installation removed' }));
  });

  test('when a conversation answers 404 ConversationNotFound, then the installation is removed', async () => {
    h.connector.fail('19:chat-1@thread.v2', { status: 404, code: 'ConversationNotFound' });

    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(report.summary).toMatchObject({ delivered: 6, removed: 1, failed: 0 });
    expect(Object.keys((await h.store.read()).installations)).toHaveLength(4);
  });

  test('when the connector answers 429 with Retry-After, then the card is retried after that wait and delivered', async () => {
    h.connector.fail(US.channelId, { status: 429, retryAfter: '2' }, 2);

    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(report.summary).toEqual({ delivered: 7, skipped: 0, failed: 0, removed: 0 });
    expect(h.waits).toEqual([2000, 2000]);
    expect(alertCards(h, US.channelId)).toHaveLength(2);
  });

  test('when one channel keeps failing, then it is counted as failed, the others are delivered, and a later retry sends only what is missing', async () => {
    h.connector.fail(TEAMS[1]!, { status: 500, code: 'ServiceError' }, 4);

    const report = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });
    const retry = await h.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    expect(report.summary).toEqual({ delivered: 6, skipped: 0, failed: 1, removed: 0 });
    expect(retry.summary).toEqual({ delivered: 1, skipped: 6, failed: 0, removed: 0 });
    expect(h.connector.cards(TEAMS[1]).filter((c) => JSON.stringify(c).includes('weekly'))).toHaveLength(1);
  });

  test('when there is no previous run, then no account "became" stale and no alert is sent', async () => {
    const report = await h.notifier.afterRun({ previous: null, current, run: runInfo('run-1') });

    expect(report.newlyStale).toEqual([]);
    expect(report.alerts.delivered).toBe(0);
    expect(report.summary.delivered).toBe(7);
  });
});

describe('stale alerts across a process restart', () => {
  let dir: string;
  let connector: FakeConnector;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rapport-bot-'));
    connector = await new FakeConnector().start();
  });
  afterEach(async () => {
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const open = () => LowdbDocument.open<BotState>(path.join(dir, 'bot.json'), defaultBotState, botStateSchema);

  test('when the process restarts, then the same run resends nothing and the next run alerts only the newly stale accounts', async () => {
    // Arrange: first process installs, subscribes and notifies run 2.
    const first = await startHarness({ store: await open(), connector });
    await first.post(installInTeam(connector.url, EMEA.teamId));
    await first.post(channelMessage(connector.url, EMEA, 'subscribe'));
    await first.notifier.afterRun({ previous, current, run: runInfo('run-2') });
    expect(alertCards(first, EMEA.channelId)).toHaveLength(2);
    connector.clear();

    // Act 1: a new process over the same file gets the same run again.
    const second = await startHarness({ store: await open(), connector });
    const replay = await second.notifier.afterRun({ previous, current, run: runInfo('run-2') });

    // Assert 1
    expect(connector.received).toHaveLength(0);
    expect(replay.alerts).toEqual({ delivered: 0, skipped: 2, failed: 0, removed: 0 });

    // Act 2: run 3, where Fabrikam goes stale too and the others stay stale.
    const run3 = current.map((r) => (r.AccountId === 'acc-1' ? staleRow('acc-1', 'Fabrikam Inc.') : r));
    const third = await startHarness({ store: await open(), connector });
    const next = await third.notifier.afterRun({ previous: current, current: run3, run: runInfo('run-3') });

    // Assert 2
    expect(next.newlyStale).toEqual(['acc-1']);
    const alerts = alertCards(third, EMEA.channelId).map((c) => JSON.stringify(c));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('Fabrikam Inc. has gone quiet');
  });
});
