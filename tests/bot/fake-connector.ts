/**
 * A loopback stand-in for the Bot Framework connector (the `serviceUrl` of every activity):
 * it records what the bot posts and answers with faults on demand.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdaptiveCardJson } from '../../bot/src/conversation';

export interface Recorded {
  method: string;
  conversationId: string;
  /** Set for replies (POST …/activities/{id}, or POST …/activities with `replyToId`) and updates (PUT …/activities/{id}). */
  activityId: string | null;
  body: { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }>; replyToId?: string };
  authorization: string | undefined;
}

export interface Fault {
  status: number;
  code?: string;
  retryAfter?: string;
}

export class FakeConnector {
  readonly received: Recorded[] = [];
  private readonly faults = new Map<string, Fault[]>();
  /** What `GET /v3/conversations/{id}/members/{memberId}` answers, by member id (the sender's address lives here). */
  readonly members = new Map<string, { id: string; name?: string; email?: string; userPrincipalName?: string; aadObjectId?: string }>();
  /** Member look-ups received, as `conversationId/memberId`. */
  readonly memberLookups: string[] = [];
  private server: http.Server | null = null;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` sends to the conversation get this answer. */
  fail(conversationId: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(conversationId) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(conversationId, queue);
  }

  /** Activities that reached a conversation or a thread in that channel (failed attempts excluded). */
  delivered(conversationId?: string): Recorded[] {
    return this.received.filter((r) => conversationId === undefined || r.conversationId === conversationId || channelPart(r.conversationId) === conversationId);
  }

  cards(conversationId?: string): AdaptiveCardJson[] {
    return this.delivered(conversationId).flatMap((r) =>
      (r.body.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as AdaptiveCardJson),
    );
  }

  texts(conversationId?: string): string[] {
    return this.delivered(conversationId).flatMap((r) => (r.body.text ? [r.body.text] : []));
  }

  clear(): void {
    this.received.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const member = /\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(req.url ?? '');
      if (member && req.method === 'GET') {
        const [conversationId, memberId] = [decodeURIComponent(member[1]!), decodeURIComponent(member[2]!)];
        this.memberLookups.push(`${conversationId}/${memberId}`);
        const found = this.members.get(memberId);
        if (found) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
        else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MemberNotFoundInConversation', message: 'not a member' } }));
        return;
      }
      const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (!match || !(req.method === 'POST' || req.method === 'PUT')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: req.url } }));
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      const fault = this.faults.get(channelPart(conversationId))?.shift() ?? this.faults.get(conversationId)?.shift();
      if (fault) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers).end(JSON.stringify({ error: { code: fault.code ?? 'Fault', message: 'injected fault' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Recorded['body'];
      this.received.push({
        method: req.method,
        conversationId,
        // A reply names the message it answers in the path (Bot Framework v3) or, as the Teams SDK sends it, in the body.
        activityId: match[2] ? decodeURIComponent(match[2]) : (body.replyToId ?? null),
        body,
        authorization: req.headers.authorization,
      });
      this.counter += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `activity-${this.counter}` }));
    });
  }
}

function channelPart(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i === -1 ? conversationId : conversationId.slice(0, i);
}
