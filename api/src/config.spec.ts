import { loadConfig, redactedConfig } from './config';

const production = {
  TENANT_ID: 't',
  CLIENT_ID: 'c',
  CLIENT_SECRET: 's3cret',
  BOT_ID: 'b',
  BOT_PASSWORD: 'bp',
  SSO_AUDIENCE: 'api://rapport.example.com/c',
  PUBLIC_URL: 'https://rapport.example.com',
};

describe('loadConfig', () => {
  it('when no Entra credentials are set, then demo mode starts with defaults', () => {
    expect(loadConfig({})).toMatchObject({ mode: 'demo', port: 3978, firstRunDelayHours: 0, graph: { baseUrl: 'https://graph.microsoft.com/v1.0' } });
  });

  it('when all production settings are set, then production mode waits 6 h before the first run', () => {
    expect(loadConfig(production)).toMatchObject({ mode: 'production', firstRunDelayHours: 6, auth: { ssoAudience: 'api://rapport.example.com/c' } });
  });

  it('when several variables are wrong, then every problem is reported at once', () => {
    expect(() => loadConfig({ PORT: 'x', GRAPH_BASE_URL: 'not a url' })).toThrow(/PORT: .*GRAPH_BASE_URL: /);
  });

  it('when only some credentials are set, then the error says they go together', () => {
    expect(() => loadConfig({ TENANT_ID: 't' })).toThrow(/must be set together/);
  });

  it('when production lacks bot and SSO settings, then the server refuses but the headless command accepts', () => {
    const graphOnly = { TENANT_ID: 't', CLIENT_ID: 'c', CLIENT_SECRET: 's' };
    expect(() => loadConfig(graphOnly)).toThrow(/BOT_ID and BOT_PASSWORD .*SSO_AUDIENCE .*PUBLIC_URL/);
    expect(loadConfig(graphOnly, 'graph').mode).toBe('production');
  });

  it('when the dataset pruning settings are set, then they are read (the cap in MiB), and keeping none is refused', () => {
    expect(loadConfig({}).datasets).toEqual({ keepUnreferenced: 10, maxUnreferencedBytes: 1024 * 1024 * 1024 });
    expect(loadConfig({ DATASETS_KEEP_UNREFERENCED: '3', DATASETS_MAX_UNREFERENCED_MB: '200' }).datasets).toEqual({ keepUnreferenced: 3, maxUnreferencedBytes: 200 * 1024 * 1024 });
    expect(() => loadConfig({ DATASETS_KEEP_UNREFERENCED: '0' })).toThrow(/DATASETS_KEEP_UNREFERENCED: /);
  });

  it('when the config is summarised for the log, then secrets are redacted', () => {
    const summary = JSON.stringify(redactedConfig(loadConfig(production)));
    expect(summary).not.toContain('s3cret');
    expect(summary).not.toContain('"bp"');
  });
});

describe('DEMO_FAULTS', () => {
  it.each([
    ['mailbox-access-denied:a@contoso.com', { mailboxAccessDenied: ['a@contoso.com'], mailboxNotEnabled: [] }],
    [' mailbox-not-enabled : b@contoso.com , mailbox-access-denied:c@contoso.com', { mailboxAccessDenied: ['c@contoso.com'], mailboxNotEnabled: ['b@contoso.com'] }],
  ])('when DEMO_FAULTS is %j, then the simulator gets those mailbox faults', (value, faults) => {
    expect(loadConfig({ DEMO_FAULTS: value }).demoFaults).toEqual(faults);
  });

  it('when DEMO_FAULTS is unset or empty, then there are no faults', () => {
    expect(loadConfig({}).demoFaults).toBeUndefined();
    expect(loadConfig({ DEMO_FAULTS: ' ' }).demoFaults).toBeUndefined();
  });

  it.each(['access-denied:a@contoso.com', 'mailbox-access-denied', 'mailbox-access-denied:', 'a@contoso.com'])('when DEMO_FAULTS holds %j, then the error names it and the expected form', (entry) => {
    expect(() => loadConfig({ DEMO_FAULTS: entry })).toThrow(new RegExp(`DEMO_FAULTS: cannot read "${entry}"; write <fault>:<mailbox address>, with fault mailbox-access-denied or mailbox-not-enabled`));
  });

  it('when DEMO_FAULTS is set with Entra credentials, then production refuses it', () => {
    expect(() => loadConfig({ ...production, DEMO_FAULTS: 'mailbox-access-denied:a@contoso.com' })).toThrow(/DEMO_FAULTS applies to demo mode only/);
  });
});
