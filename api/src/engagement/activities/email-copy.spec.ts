import { ALICE, BOB, makeContext, makeDirectory, msg } from '../__tests__/builders';
import { createAddressClassifier } from '../address-classifier';
import { hashId } from '../hashing';
import { normaliseMessage, type EmailCopyContext } from './email-copy';

const ctx = makeContext();
const classify = createAddressClassifier(ctx, makeDirectory());
const contextOf = (mailbox = ALICE): EmailCopyContext => ({ mailbox, excludedFolderIds: new Set(['junk']), classify, salt: '' });
const SENT = '2026-01-02T10:00:00Z';
const jane = hashId('', 'addr', 'jane@fabrikam.com');
const joe = hashId('', 'addr', 'joe@fabrikam.com');

describe('normaliseMessage', () => {
  it.each([
    ['a draft', msg({ draft: true, sent: SENT })],
    ['in an excluded folder', msg({ folder: 'junk', sent: SENT })],
    ['from an automated sender', msg({ from: 'no-reply@fabrikam.com', sent: SENT })],
    ['without a sender', msg({ from: null, sent: SENT })],
    ['without a sent time', { ...msg({ sent: SENT }), sentDateTime: null }],
    ['a meeting invitation', msg({ odataType: '#microsoft.graph.eventMessageRequest', sent: SENT })],
    ['a meeting response', msg({ odataType: '#microsoft.graph.eventMessageResponse', from: 'jane@fabrikam.com', to: [ALICE.mail], sent: SENT })],
    ['a meeting cancellation', msg({ odataType: '#microsoft.graph.eventMessage', sent: SENT })],
  ])('when the copy is %s, then it is excluded', (_label, message) => {
    expect(normaliseMessage(message, contextOf())).toBeNull();
  });

  it('when the internetMessageId is present, then the key is its hash, whatever the mailbox', () => {
    const m = msg({ imid: '<k@x>', to: ['jane@fabrikam.com'], sent: SENT });
    expect(normaliseMessage(m, contextOf(ALICE))?.key).toBe(hashId('', 'msg', '<k@x>'));
    expect(normaliseMessage(m, contextOf(BOB))?.key).toBe(hashId('', 'msg', '<k@x>'));
  });

  it('when the copy keeps no entry (internal only), then it has no key but keeps its place in the thread', () => {
    const copy = normaliseMessage(msg({ imid: '<k@x>', to: [BOB.mail], conv: 'c', sent: SENT }), contextOf(ALICE));
    expect(copy).toMatchObject({ key: '', entry: null, threaded: true });
  });

  it('when the context memoises conversation hashes, then the copy takes its hash from there', () => {
    const copy = normaliseMessage(msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: SENT }), { ...contextOf(), conversationHash: (id) => `memo:${id}` });
    expect(copy?.entry?.c).toBe('memo:c');
  });

  it('when the internetMessageId is missing, then the key is the hash of mailbox id and message id', () => {
    const m = msg({ id: 'AAMk1', imid: null, to: ['jane@fabrikam.com'], sent: SENT });
    expect(normaliseMessage(m, contextOf(ALICE))?.key).toBe(hashId('', 'mbxmsg', ALICE.id, 'AAMk1'));
  });

  it('when Alice writes to Jane, Joe and Bob, then the entry is outbound with two account hashes and two members', () => {
    const copy = normaliseMessage(msg({ to: ['jane@fabrikam.com', BOB.mail], cc: ['joe@fabrikam.com'], conv: 'c', sent: SENT }), contextOf());
    expect(copy).toMatchObject({
      sentAt: Date.parse(SENT),
      senderInternal: true,
      threaded: true,
      entry: { t: Date.parse(SENT), s: 'i', r: [jane, joe].sort(), m: [ALICE.id, BOB.id], c: '' },
    });
    expect(copy?.contacts).toEqual(expect.arrayContaining([[jane, 'FAB'], [joe, 'FAB']]));
  });

  it('when Jane writes, then the entry is inbound, keeps only Fabrikam recipients and its conversation', () => {
    const copy = normaliseMessage(msg({ from: 'jane@fabrikam.com', to: [ALICE.mail, 'bob@northwind.com', 'joe@fabrikam.com'], conv: 'c', sent: SENT }), contextOf());
    expect(copy?.entry).toEqual({ t: Date.parse(SENT), s: jane, r: [joe], m: [ALICE.id], c: hashId('', 'conv', 'c') });
  });

  it.each([
    ['an internal-only email the holder is visible on', { to: [ALICE.mail] }, ALICE, null],
    ['an outsider’s email', { from: 'someone@adatum.com', to: [ALICE.mail] }, ALICE, null],
    ['an internal email from a member, held invisibly (DL or Bcc)', { from: BOB.mail, to: ['team@contoso.com'] }, ALICE, { r: [], m: [ALICE.id] }],
    ['an internal email from a non-member, held invisibly', { from: 'dave@contoso.com', to: ['team@contoso.com'] }, ALICE, null],
  ])('when the copy is %s, then the entry is %j (timeline only when null)', (_label, spec, mailbox, expected) => {
    const copy = normaliseMessage(msg({ ...spec, sent: SENT }), contextOf(mailbox));
    expect(copy).not.toBeNull();
    if (expected === null) expect(copy?.entry).toBeNull();
    else expect(copy?.entry).toMatchObject(expected);
  });
});
