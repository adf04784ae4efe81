/** Reads a server-sent event stream from a listening app until the server closes it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface SseEvent {
  event: string;
  data: unknown;
}

export async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens the stream; `opened` resolves once headers arrived, `events` once the server ends it. */
export function readSse(url: string): { opened: Promise<{ status: number; type: string }>; events: Promise<SseEvent[]>; received: SseEvent[] } {
  const received: SseEvent[] = [];
  let resolveOpened!: (v: { status: number; type: string }) => void;
  const opened = new Promise<{ status: number; type: string }>((r) => (resolveOpened = r));
  const events = new Promise<SseEvent[]>((resolve, reject) => {
    http
      .get(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
        resolveOpened({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? '') });
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
            if (event && data !== undefined) received.push({ event, data: JSON.parse(data) });
          }
        });
        res.on('end', () => resolve(received));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  return { opened, events, received };
}
