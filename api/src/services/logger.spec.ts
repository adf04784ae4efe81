import { AppError } from '../errors';
import { createLogger, textLine, withFields, type LogLevel } from './logger';

/** A destination that keeps what pino writes, as the bytes it would send to stdout. */
function capture() {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const SECRETS = {
  bearer: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
  clientSecret: 'Zx8~client-secret-value',
  botPassword: 'bot-password-value',
  refresh: 'refresh-token-value',
  address: 'adele.vance@fabrikam.com',
};

describe('createLogger', () => {
  test('when entries carry tokens, secrets and addresses everywhere, then none of them reaches the output stream', () => {
    const out = capture();
    const logger = createLogger({ level: 'debug', destination: out.destination });

    logger.info(`token exchange for ${SECRETS.address}`, {
      headers: { authorization: `Bearer ${SECRETS.bearer}` },
      config: { clientSecret: SECRETS.clientSecret, botPassword: SECRETS.botPassword },
      body: `grant_type=refresh_token&refresh_token=${SECRETS.refresh}`,
      mailboxes: [SECRETS.address],
    });
    logger.error('request failed', { error: new AppError('INTERNAL', `Graph refused ${SECRETS.address} with ${SECRETS.bearer}`) });
    logger.warn(`retrying ${SECRETS.address}`);
    logger.debug('raw', { nested: { deeper: { password: SECRETS.botPassword } } });

    const written = out.text();
    expect(out.lines()).toHaveLength(4);
    for (const [name, secret] of Object.entries(SECRETS)) expect({ name, leaked: written.includes(secret) }).toEqual({ name, leaked: false });
    expect(written).toContain('a***@fabrikam.com');
  });

  test('when an entry is logged, then it is one JSON line with level, time, message and the fields', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.destination });

    logger.info('run finished', { runId: 'r-1', status: 'succeeded' });

    expect(out.lines()).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), message: 'run finished', runId: 'r-1', status: 'succeeded' }]);
  });

  test('when the text format is chosen, then each entry is one readable line, still redacted', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.destination, format: 'text' });

    logger.info('run finished', { runId: 'r-1', mailboxes: [SECRETS.address], clientSecret: SECRETS.clientSecret });

    expect(out.text()).toMatch(/^\d\d:\d\d:\d\d info {2}run finished · runId=r-1 mailboxes=\["a\*\*\*@fabrikam\.com"\] clientSecret=\S+\n$/);
    expect(out.text()).not.toContain(SECRETS.clientSecret);
  });

  test.each<[string, string]>([
    ['{"level":"warn","time":"2026-12-01T07:35:29.144Z","message":"slow"}', '07:35:29 warn  slow\n'],
    ['{"level":"info","time":"2026-12-01T07:35:29.144Z","message":"ran","n":3,"ok":true}', '07:35:29 info  ran · n=3 ok=true\n'],
    ['not json', 'not json'],
  ])('textLine(%s) is %j', (json, text) => {
    expect(textLine(json)).toBe(text);
  });

  test.each<[LogLevel, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('when the level is %s, then only %j entries are written', (level, expected) => {
    const out = capture();
    const logger = createLogger({ level, destination: out.destination });

    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    expect(out.lines().map((l) => l.level)).toEqual(expected);
  });

  test('when bound fields are added, then every entry carries them and its own fields win', () => {
    const out = capture();
    const logger = withFields(createLogger({ destination: out.destination }), { component: 'bot', kind: 'default' });

    logger.info('installed', { kind: 'personal' });
    logger.warn('gone');

    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', component: 'bot', kind: 'personal' }),
      expect.objectContaining({ level: 'warn', component: 'bot', kind: 'default' }),
    ]);
  });
});
