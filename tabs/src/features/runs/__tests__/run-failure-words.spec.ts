import { enUS } from '../../../i18n/en-US';
import { idID } from '../../../i18n/id-ID';
import { FAILURE_KINDS, failureKindOf, groupFailures, type FailureKind } from '../run-failure-words';

describe('failureKindOf', () => {
  it.each<[string, FailureKind]>([
    // What Rapport's Graph client reports (api/src/graph/graph-errors.ts) and the simulator injects.
    ['ErrorAccessDenied', 'accessDenied'],
    ['errorAccessDenied', 'accessDenied'],
    ['Authorization_RequestDenied', 'accessDenied'],
    ['HTTP403', 'accessDenied'],
    ['MailboxNotEnabledForRESTAPI', 'mailboxNotEnabled'],
    ['MailboxNotSupportedForRESTAPI', 'mailboxNotEnabled'],
    ['GRAPH_MAILBOX_UNAVAILABLE', 'mailboxNotEnabled'],
    ['Request_ResourceNotFound', 'userNotFound'],
    ['ErrorInvalidUser', 'userNotFound'],
    ['HTTP404', 'userNotFound'],
    ['InvalidAuthenticationToken', 'credentialsRejected'],
    ['HTTP401', 'credentialsRejected'],
    ['TooManyRequests', 'throttled'],
    ['ApplicationThrottled', 'throttled'],
    ['HTTP429', 'throttled'],
    ['GatewayTimeout', 'timeout'],
    ['TimeoutError', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['HTTP504', 'timeout'],
    ['ServiceUnavailable', 'graphUnavailable'],
    ['HTTP503', 'graphUnavailable'],
    ['HTTP500', 'graphUnavailable'],
    ['NetworkError', 'network'],
    ['ECONNRESET', 'network'],
    ['ECONNREFUSED', 'network'],
    ['UND_ERR_SOCKET', 'network'],
    ['InefficientFilter', 'requestRejected'],
    ['HTTP400', 'requestRejected'],
    ['HTTP409', 'requestRejected'],
    ['INTERNAL', 'internal'],
    ['  ErrorAccessDenied ', 'accessDenied'],
    ['SomethingNew', 'unknown'],
    ['', 'unknown'],
  ])('when the code is %p, then the kind is %p', (code, kind) => {
    expect(failureKindOf(code)).toBe(kind);
  });

  it('when a kind exists, then both catalogues word what happened and what to do', () => {
    for (const kind of FAILURE_KINDS) {
      for (const messages of [enUS, idID]) {
        const words = messages.runFailures.kinds[kind];
        expect(words.title.length).toBeGreaterThan(5);
        expect(words.what.length).toBeGreaterThan(20);
        expect(words.action.length).toBeGreaterThan(20);
      }
    }
    expect(idID.runFailures.kinds.accessDenied.action).not.toBe(enUS.runFailures.kinds.accessDenied.action);
  });
});

describe('groupFailures', () => {
  it('when failures of several kinds come in any order, then they group by kind in the table order, mailboxes sorted', () => {
    const groups = groupFailures([
      { mailbox: 'zoe@contoso.com', code: 'TooManyRequests', message: '' },
      { mailbox: 'carol@contoso.com', code: 'MailboxNotEnabledForRESTAPI', message: '' },
      { mailbox: 'bob@contoso.com', code: 'ErrorAccessDenied', message: '' },
      { mailbox: 'amy@contoso.com', code: 'ErrorAccessDenied', message: '' },
    ]);
    expect(groups.map((g) => [g.kind, g.failures.map((f) => f.mailbox)])).toEqual([
      ['accessDenied', ['amy@contoso.com', 'bob@contoso.com']],
      ['mailboxNotEnabled', ['carol@contoso.com']],
      ['throttled', ['zoe@contoso.com']],
    ]);
  });

  it('when there are no failures, then there are no groups', () => {
    expect(groupFailures([])).toEqual([]);
  });
});
