import { conversationKey } from '../../bot/src/conversation';
import { botAddedToTeam, botRemovedFromTeam, installInGroupChat, installInTeam, installPersonal, personalConversationId, personalMessage, SELLER, TENANT_ID } from './activities';
import { startHarness, type Harness } from './harness';

const key = (conversationId: string) => conversationKey({ conversation: { id: conversationId, tenantId: TENANT_ID } });

describe('bot installations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test('when the bot is installed in a team, then it welcomes the team once and stores the reference without user data', async () => {
    // Act
    const res = await h.post(installInTeam(h.serviceUrl, '19:team-a@thread.tacv2'));
    await h.post(botAddedToTeam(h.serviceUrl, '19:team-a@thread.tacv2'));

    // Assert
    expect(res.status).toBe(200);
    const texts = h.connector.texts('19:team-a@thread.tacv2');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("I'm **Rapport**");
    const state = await h.store.read();
    expect(state.installations[key('19:team-a@thread.tacv2')]).toMatchObject({
      kind: 'team',
      reference: { channelId: 'msteams', serviceUrl: h.serviceUrl, conversation: { id: '19:team-a@thread.tacv2', conversationType: 'channel', tenantId: TENANT_ID } },
    });
    const stored = JSON.stringify(state);
    expect(stored).not.toContain(SELLER.name);
    expect(stored).not.toContain(SELLER.aadObjectId);
  });

  test('when the bot is installed in a personal scope and a group chat, then both are tracked', async () => {
    await h.post(installPersonal(h.serviceUrl));
    await h.post(installInGroupChat(h.serviceUrl, '19:chat-1@thread.v2'));

    const state = await h.store.read();
    expect(state.installations[key(personalConversationId())]).toMatchObject({ kind: 'personal' });
    expect(state.installations[key('19:chat-1@thread.v2')]).toMatchObject({ kind: 'groupChat' });
    expect(h.connector.texts(personalConversationId())).toHaveLength(1);
    expect(h.connector.texts('19:chat-1@thread.v2')).toHaveLength(1);
  });

  test('when the bot is uninstalled with installationUpdate remove, then the installation is removed', async () => {
    await h.post(installInTeam(h.serviceUrl, '19:team-a@thread.tacv2'));

    const res = await h.post(installInTeam(h.serviceUrl, '19:team-a@thread.tacv2', 'remove'));

    expect(res.status).toBe(200);
    expect((await h.store.read()).installations).toEqual({});
  });

  test('when a conversationUpdate says the bot was removed from the team, then the installation and its channel subscriptions go', async () => {
    await h.post(installInTeam(h.serviceUrl, '19:team-a@thread.tacv2'));
    await h.store.update((d) => {
      d.subscriptions['_x_19:emea'] = {
        key: '_x_19:emea',
        teamId: '19:team-a@thread.tacv2',
        subscribedAt: '2026-01-01T00:00:00.000Z',
        reference: { channelId: 'msteams', serviceUrl: h.serviceUrl, conversation: { id: '19:emea' }, agent: { id: 'x' } },
      };
    });

    await h.post(botRemovedFromTeam(h.serviceUrl, '19:team-a@thread.tacv2'));

    const state = await h.store.read();
    expect(state.installations).toEqual({});
    expect(state.subscriptions).toEqual({});
  });

  test('when an activity arrives from a new service URL, then the stored reference follows it', async () => {
    await h.post(installPersonal(h.serviceUrl));
    const moved = `${h.serviceUrl}emea/`;

    await h.post(personalMessage(moved, 'help'));

    const state = await h.store.read();
    expect(state.installations[key(personalConversationId())]!.reference.serviceUrl).toBe(moved);
  });

  test('when a request is not a Bot Framework activity, then it gets 400 and nothing is stored', async () => {
    const res = await h.post({ type: 'message', text: 'hi' });

    expect(res.status).toBe(400);
    expect((await h.store.read()).installations).toEqual({});
  });
});
