import { COMMANDS, commandWord, findCommand, manifestCommands, MANIFEST_DESCRIPTION_MAX, MANIFEST_TITLE_MAX } from '../../bot/src/commands/registry';
import { createMessageExtensions } from '../../bot/src/extensions';
import { ADMIN, cardAction, channelMessage, personalConversationId, personalMessage, SELLER, TENANT_ID, type ChannelAt } from './activities';
import { cardProblems, expectValidCards } from './card-validation';
import { FakeEngagement, officeRow, runInfo, staleRow } from './fakes';
import { NOW, startHarness, type Harness } from './harness';

const EMEA: ChannelAt = { teamId: '19:team-a@thread.tacv2', channelId: '19:emea@thread.tacv2' };
const EMEA_KEY = `_${TENANT_ID}_${EMEA.channelId}`;

function engagement(): FakeEngagement {
  const e = new FakeEngagement();
  e.rows = [
    officeRow('acc-1', 'Adatum GmbH', { EngagementScore: 91, EngagementBand: 'High', NoOfEmails_ToAccount: 19000, NoOfEmails_FromAccount: 362 }),
    officeRow('acc-2', 'Adatum Ltd', { EngagementScore: 40 }),
    officeRow('acc-3', 'Fabrikam Inc.', { NextMeetingDate: '2026-02-03T10:00:00.000Z' }),
    staleRow('acc-4', 'Tailspin Toys'),
    officeRow('acc-5', 'Northwind Traders', { DaysSinceLastemail: null, DaysSinceLastMeeting: null, LastInboundDate: null, LastOutboundDate: null, EngagementScore: 0, EngagementBand: 'Low' }),
  ];
  e.run = runInfo('run-1', { emailsProcessed: 19362 });
  e.admins.add(ADMIN.aadObjectId);
  return e;
}

describe('language, look-up, settings and undo', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ engagement: engagement() });
  });
  afterEach(() => h.close());

  async function ask(text: string, locale = 'en-US', from = SELLER) {
    h.connector.clear();
    const res = await h.post({ ...personalMessage(h.serviceUrl, text, from), locale });
    expect(res.status).toBe(200);
    return { texts: h.connector.texts(personalConversationId(from)), cards: h.connector.cards(personalConversationId(from)) };
  }

  test('when an Indonesian user types bantuan, then help comes back in Indonesian with the Indonesian command words', async () => {
    const { texts } = await ask('bantuan', 'id-ID');

    expect(texts[0]).toContain('Inilah yang bisa saya lakukan');
    for (const usage of ['bantuan', 'skor <akun>', 'teratas [n]', 'basi [hari]', 'pengaturan']) expect(texts[0]).toContain(`**${usage}**`);
  });

  test('when an Indonesian user asks skor, then the card is in Indonesian with Indonesian number and date formats', async () => {
    const { cards } = await ask('skor adatum gmbh', 'id-ID');

    expectValidCards(cards);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain('Skor keterlibatan **91** (tinggi)');
    expect(card).toContain('19.362'); // emails both ways, grouped the Indonesian way
    expect(card).toContain('Buka di Rapport');
    expect(card).not.toMatch(/emails|breadth|High/);
  });

  test('when the locale is one the bot does not speak, then it answers in English', async () => {
    const { texts } = await ask('help', 'fr-FR');
    expect(texts[0]).toContain('Here is what I can do');
  });

  test('when an exact name that used to tie with its sister company is asked for, then that account answers', async () => {
    const { cards } = await ask('score Adatum Ltd');

    expect(JSON.stringify(cards[0])).toContain('"text":"Adatum Ltd"');
  });

  test('when a 6,000-character argument is sent, then it is echoed cut with an ellipsis', async () => {
    const { texts } = await ask(`score ${'zq'.repeat(3000)}`);

    expect(texts[0]!.length).toBeLessThan(200);
    expect(texts[0]).toContain('…');
  });

  test('when a candidate button is pressed, then that account card answers', async () => {
    const { cards } = await ask('score adatum');
    const buttons = JSON.stringify(cards[0]);
    expect(buttons).toContain('Adatum GmbH · 91 (high)');

    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.account.score', { accountId: 'acc-2' }));

    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.value)).toContain('"text":"Adatum Ltd"');
    expect(cardProblems(res.body.value)).toEqual([]);
  });

  test('when the stale list is asked for, then never-contacted accounts are their own group and the count is the whole segment', async () => {
    const { cards } = await ask('stale');

    const card = JSON.stringify(cards[0]);
    expect(card).toContain('2 in the stale segment.');
    expect(card).toContain('Gone quiet (1)');
    expect(card).toContain('Never contacted (1)');
    expect(card.indexOf('Tailspin Toys')).toBeLessThan(card.indexOf('Never contacted'));
    expect(card.indexOf('Northwind Traders')).toBeGreaterThan(card.indexOf('Never contacted'));
  });

  test('when a run is in progress, then status shows how far it got', async () => {
    // The fake has no run in progress; this port method is optional.
    Object.assign(h.engagement, {
      activeRun: () => Promise.resolve({ startedAt: '2026-01-12T08:30:00.000Z', percent: 42, mailboxesDone: 15, mailboxesTotal: 36, messagesProcessed: 5210, meetingsProcessed: 300 }),
    });

    const { texts } = await ask('status');

    expect(texts[0]).toContain('A run is in progress (started Jan 12, 2026, 8:30 AM UTC). 15 of 36 mailboxes read (42%). So far 5,210 emails and 300 meetings.');
  });

  test('when settings are saved in a channel, then they are stored, alerts follow the toggle and the card says who saved', async () => {
    await h.post(channelMessage(h.serviceUrl, EMEA, 'settings'));
    const [settings] = h.connector.cards(EMEA.channelId);
    expectValidCards([settings]);
    expect(JSON.stringify(settings)).toContain('Input.Toggle');

    const data = { weeklySummary: 'false', staleAlerts: 'true', summaryDay: '1', summaryHour: '8', timeZone: 'Asia/Jakarta', staleDays: '45' };
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.settings.save', data));

    expect(JSON.stringify(res.body.value)).toContain('Saved by Avery Seller');
    const state = await h.store.read();
    expect(state.conversationSettings[EMEA_KEY]).toMatchObject({ weeklySummary: false, summaryDay: 1, summaryHour: 8, timeZone: 'Asia/Jakarta', staleDays: 45 });
    expect(state.subscriptions[EMEA_KEY]).toBeDefined();
  });

  test.each([
    [{ staleDays: '0' }, 'whole number of days'],
    [{ staleDays: 'lots' }, 'whole number of days'],
    [{ timeZone: 'Mars/Olympus' }, 'time zone'],
    [{ summaryHour: '25' }, 'out of date'],
  ])('when settings are saved with %j, then nothing is stored and the card says what to fix', async (bad, says) => {
    const data = { weeklySummary: 'true', summaryDay: 'after', summaryHour: '9', timeZone: 'UTC', staleDays: '', ...bad };
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.settings.save', data));

    expect(JSON.stringify(res.body.value)).toContain('Not saved');
    expect(JSON.stringify(res.body.value)).toContain(says);
    expect((await h.store.read()).conversationSettings).toEqual({});
  });

  test('when the weekly summary is switched off in a conversation, then the run does not post it there', async () => {
    await h.post(channelMessage(h.serviceUrl, EMEA, 'subscribe'));
    await h.post(cardAction(h.serviceUrl, EMEA, 'c', 'rapport.settings.save', { weeklySummary: 'false', staleAlerts: 'true', summaryDay: 'after', summaryHour: '9', timeZone: 'UTC' }));
    h.connector.clear();

    await h.notifier.afterRun({ previous: [officeRow('acc-4', 'Tailspin Toys')], current: h.engagement.rows, run: runInfo('run-2') });

    const cards = JSON.stringify(h.connector.cards(EMEA.channelId));
    expect(cards).not.toContain('weekly engagement summary');
    expect(cards).toContain('Tailspin Toys has gone quiet');
  });

  test('when a snooze is undone, then the mark goes and the card shows who reopened it with the buttons back', async () => {
    await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.alert.snooze', { accountId: 'acc-4' }));
    const res = await h.post(cardAction(h.serviceUrl, EMEA, 'card-1', 'rapport.alert.undo', { accountId: 'acc-4' }));

    const card = JSON.stringify(res.body.value);
    expect(card).toContain('Reopened by Avery Seller (Jan 12, 2026, 9:00 AM UTC)');
    expect(card).toContain('rapport.alert.snooze');
    expect((await h.store.read()).accountMarks).toEqual({});
  });

  test('when an admin starts a run, then the chat it was started from hears when it ends', async () => {
    await ask('run', 'en-US', ADMIN);
    h.connector.clear();

    await h.notifier.runEnded(runInfo('run-manual', { trigger: 'manual', status: 'failed' }));
    await h.notifier.runEnded(runInfo('run-manual', { trigger: 'manual', status: 'failed' }));

    const cards = h.connector.cards(personalConversationId(ADMIN));
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0])).toContain('Your enrichment run failed');
    expectValidCards(cards);
  });
});

describe('the command registry', () => {
  test('when a command word of either language is typed, then it finds the command', () => {
    for (const command of COMMANDS) {
      expect(findCommand(commandWord(command, 'en-US'))).toBe(command);
      expect(findCommand(commandWord(command, 'id-ID'))).toBe(command);
    }
  });

  test.each(['personal', 'team', 'groupChat'] as const)('when the %s manifest list is built, then it fits Teams limits in both languages', (scope) => {
    for (const locale of ['en-US', 'id-ID'] as const) {
      const list = manifestCommands(scope, locale);
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(10);
      for (const c of list) {
        expect(c.title.length).toBeLessThanOrEqual(MANIFEST_TITLE_MAX);
        expect(c.description.length).toBeLessThanOrEqual(MANIFEST_DESCRIPTION_MAX);
      }
    }
    // subscribe explains itself in a personal chat, but the manifest lists it only where it subscribes.
    expect(manifestCommands('personal', 'en-US').map((c) => c.title)).not.toContain('subscribe');
  });
});

describe('the message extension', () => {
  const extensions = createMessageExtensions({ engagement: engagement(), clock: () => NOW, logger: { info() {}, warn() {}, error() {} } });

  test('when a name is searched, then the exact account comes first with a valid card and a preview', async () => {
    const results = await extensions.searchAccounts('adatum ltd', 'en-US', 10);

    expect(results[0]!.preview.title).toBe('Adatum Ltd');
    expect(results.map((r) => r.preview.title)).toContain('Adatum GmbH');
    expect(results[0]!.preview.text).toContain('Engagement 40 (medium) · last contact 5 days ago');
    for (const r of results) {
      expect(cardProblems(r.card)).toEqual([]);
      expect(JSON.stringify(r.card).length).toBeLessThan(28 * 1024);
    }
  });

  test('when the query is empty, then the top accounts are listed; when nothing matches, then the list is empty', async () => {
    expect((await extensions.searchAccounts('', 'en-US', 2)).map((r) => r.preview.title)).toEqual(['Adatum GmbH', 'Fabrikam Inc.']);
    expect(await extensions.searchAccounts('zzzzqqq', 'en-US', 10)).toEqual([]);
  });

  test('when a domain is searched and the port knows domains, then the account is found by it', async () => {
    const e = engagement();
    Object.assign(e, { accountDomains: () => Promise.resolve(new Map([['acc-3', ['fabrikam.com']]])) });
    const results = await createMessageExtensions({ engagement: e, clock: () => NOW, logger: { info() {}, warn() {}, error() {} } }).searchAccounts('fabrikam.com', 'id-ID', 5);

    expect(results[0]!.preview.title).toBe('Fabrikam Inc.');
    expect(JSON.stringify(results[0]!.card)).toContain('Rapat berikutnya');
  });

  test.each([
    ['https://rapport.example.com/#/accounts/acc-3', 'Fabrikam Inc.'],
    ['https://rapport.example.com/#/accounts/acc%2D3', 'Fabrikam Inc.'],
    ['https://rapport.example.com/#/accounts/unknown', null],
    ['https://rapport.example.com/#/segments', null],
    ['javascript:alert(1)//#/accounts/acc-3', null],
    ['not a url', null],
  ])('when %s is unfurled, then the card is %s', async (url, name) => {
    const result = await extensions.unfurl(url, 'en-US');
    expect(result?.preview.title ?? null).toBe(name);
  });
});
