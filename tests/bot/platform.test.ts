/**
 * The Teams SDK platform: message-extension invokes reach the extension port and come back in
 * the shape Teams renders; unknown card actions and broken bodies get clear answers.
 */
import request from 'supertest';
import { personalMessage } from './activities';
import { FakeMessageExtensions } from './fakes';
import { startHarness, type Harness } from './harness';

function invoke(serviceUrl: string, name: string, value: unknown, locale = 'en-US') {
  return { ...personalMessage(serviceUrl, ''), type: 'invoke', name, text: undefined, value, locale };
}

const search = (query: string | null, extra: object = {}) => ({
  commandId: 'searchAccounts',
  parameters: query === null ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: query }],
  queryOptions: { skip: 0, count: 10 },
  ...extra,
});

describe('the Teams platform', () => {
  let h: Harness;
  afterEach(() => h.close());

  test('when the compose box searches accounts, then the results come back as a list of cards with previews, in the asker\'s language', async () => {
    h = await startHarness({ extensions: new FakeMessageExtensions([{ id: 'acc-1', name: 'Adatum GmbH' }, { id: 'acc-2', name: 'Adatum Ltd' }]) });

    const res = await h.post(invoke(h.serviceUrl, 'composeExtension/query', search(' Adatum '), 'id-ID'));

    expect(res.status).toBe(200);
    expect(h.extensions.searches).toEqual([{ query: 'Adatum', locale: 'id-ID', limit: 10 }]);
    expect(res.body.composeExtension).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    expect(res.body.composeExtension.attachments).toEqual([
      expect.objectContaining({
        contentType: 'application/vnd.microsoft.card.adaptive',
        preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: 'Adatum GmbH', text: 'acc-1' } },
      }),
      expect.objectContaining({ preview: expect.objectContaining({ content: expect.objectContaining({ title: 'Adatum Ltd' }) }) }),
    ]);
    expect(h.connector.received).toEqual([]);
  });

  test('when the search opens (initial run), then the port is asked with an empty query', async () => {
    h = await startHarness();

    await h.post(invoke(h.serviceUrl, 'composeExtension/query', search(null)));

    expect(h.extensions.searches).toEqual([{ query: '', locale: 'en-US', limit: 10 }]);
  });

  test('when the search fails, then Teams gets an error answer that quotes nothing internal', async () => {
    const extensions = new FakeMessageExtensions();
    extensions.fail = true;
    h = await startHarness({ extensions });

    const res = await h.post(invoke(h.serviceUrl, 'composeExtension/query', search('x')));

    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 'error', message: 'message extension search failed' }));
  });

  test('when an unknown search command is invoked, then it gets 400', async () => {
    h = await startHarness();

    const res = await h.post(invoke(h.serviceUrl, 'composeExtension/query', search('x', { commandId: 'somethingElse' })));

    expect(res.status).toBe(400);
    expect(h.extensions.searches).toEqual([]);
  });

  test('when a link to an account page is pasted, then it unfurls into that account\'s card', async () => {
    h = await startHarness();
    const url = 'https://rapport.example.com/index.html#/accounts/acc-1';

    const res = await h.post(invoke(h.serviceUrl, 'composeExtension/queryLink', { url }, 'id-ID'));

    expect(res.status).toBe(200);
    expect(h.extensions.unfurls).toEqual([{ url, locale: 'id-ID' }]);
    expect(res.body.composeExtension.attachments).toHaveLength(1);
  });

  test('when a link to something else is pasted, then nothing unfurls', async () => {
    h = await startHarness();

    const res = await h.post(invoke(h.serviceUrl, 'composeExtension/queryLink', { url: 'https://rapport.example.com/index.html#/segments' }));

    expect(res.status).toBe(200);
    expect(res.body.composeExtension.attachments).toEqual([]);
  });

  test('when a card action names an unknown verb, then it gets a 400 error card response', async () => {
    h = await startHarness();

    const res = await h.post(invoke(h.serviceUrl, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'rapport.nope', data: {} } }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest' } });
  });

  test('when the body is not JSON, then it gets 400 with the API error shape', async () => {
    h = await startHarness();

    const res = await request(h.app).post('/api/messages').set('content-type', 'application/json').send('{"type":');

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } });
  });

  test('when the environment holds Graph credentials (CLIENT_ID, CLIENT_SECRET), then the anonymous demo bot still sends no token', async () => {
    const saved = { id: process.env.CLIENT_ID, secret: process.env.CLIENT_SECRET };
    process.env.CLIENT_ID = 'graph-app-id';
    process.env.CLIENT_SECRET = 'graph-secret';
    try {
      h = await startHarness();

      const res = await h.post(personalMessage(h.serviceUrl, 'help'));

      expect(res.status).toBe(200);
      expect(h.connector.received).toHaveLength(1);
      expect(h.connector.received[0]!.authorization).toBeUndefined();
    } finally {
      if (saved.id === undefined) delete process.env.CLIENT_ID;
      else process.env.CLIENT_ID = saved.id;
      if (saved.secret === undefined) delete process.env.CLIENT_SECRET;
      else process.env.CLIENT_SECRET = saved.secret;
    }
  });
});
