import { parseServeArgs } from './cli-serve';

describe('simulator command line', () => {
  it('when fault flags are given, then they map to seeded fault options', () => {
    const a = parseServeArgs(['--tenant', 't.json', '--port', '4000', '--fault-429', '0.2', '--fault-503', '0.05', '--fault-drop', '0.01', '--latency-ms', '5', '--seed', '1', '--mailbox-not-enabled', 'a@contoso.com, b@contoso.com']);
    expect(a).toEqual({
      tenant: 't.json',
      port: 4000,
      consentGranted: false,
      validate: false,
      faults: { rate429: 0.2, rate503: 0.05, rateDrop: 0.01, latencyMs: 5, seed: 1, mailboxNotEnabled: ['a@contoso.com', 'b@contoso.com'] },
    });
  });

  it('when churn, access-policy and Exchange RBAC flags are given, then they map to fault and consent options', () => {
    const a = parseServeArgs(['--tenant', 'dir', '--fault-churn', '0.1', '--seed', '4', '--mailbox-access-denied', 'x@contoso.com,u-9', '--rbac-scope', ' a@contoso.com ,b@contoso.com', '--consent-granted']);
    expect(a).toEqual({
      tenant: 'dir',
      port: 0,
      consentGranted: true,
      rbacScope: ['a@contoso.com', 'b@contoso.com'],
      validate: false,
      faults: { churnRate: 0.1, seed: 4, mailboxAccessDenied: ['x@contoso.com', 'u-9'] },
    });
  });

  it('when --fault-churn is out of range or --rbac-scope is empty, then a USAGE error names the flag', () => {
    expect(() => parseServeArgs(['--tenant', 'x', '--fault-churn', '1.2'])).toThrow(/--fault-churn/);
    expect(() => parseServeArgs(['--tenant', 'x', '--rbac-scope', ' , '])).toThrow(/--rbac-scope/);
  });

  it('when --tenant is missing or a rate is out of range, then a USAGE error names the flag', () => {
    expect(() => parseServeArgs([])).toThrow(/--tenant/);
    expect(() => parseServeArgs(['--tenant', 'x', '--fault-429', '2'])).toThrow(/--fault-429/);
    expect(() => parseServeArgs(['--tenant', 'x', '--fault-429', '0.7', '--fault-503', '0.7'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
