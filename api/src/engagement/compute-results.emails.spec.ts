/**
 * DESIGN.md §3 "Emails", rule by rule, through the reducers and the finaliser.
 * T = 2026-01-15T12:00Z; Alice, Bob and Carol are the selected mailboxes.
 */
import { ALICE, BOB, CAROL, makeContext, msg, run, yearRow } from './__tests__/builders';
import { defaultRules } from './rules';

describe('emails: direction and accounts', () => {
  it('when Alice writes to Jane (Fabrikam) and cc a Northwind contact, then each account counts one email to it', () => {
    // Arrange
    const m = msg({ from: ALICE.mail, to: ['jane@fabrikam.com'], cc: ['bob@northwind.com'], sent: '2026-01-10T10:00:00Z' });
    // Act
    const results = run({ [ALICE.id]: { messages: [m] } });
    // Assert
    expect(yearRow(results, 'FAB')).toMatchObject({
      NoOfEmails_ToAccount: 1,
      NoOfEmails_FromAccount: 0,
      NoOfContactsInvolved_Emails: 1,
      NoOfAccountContactsInvolved_Emails: 1,
      DaysSinceLastemail: 5,
      LastOutboundDate: '2026-01-10T10:00:00.000Z',
      LastInboundDate: null,
    });
    expect(yearRow(results, 'NW')).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfAccountContactsInvolved_Emails: 1 });
    expect(results.totals.emailsProcessed).toBe(1);
  });

  it('when Alice writes to two Fabrikam people, then Fabrikam counts one email and two account contacts', () => {
    const m = msg({ to: ['jane@fabrikam.com', 'joe@fabrikam.com'], sent: '2026-01-10T10:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), 'FAB')).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfAccountContactsInvolved_Emails: 2 });
  });

  it('when Jane writes to Alice and cc Joe (Fabrikam) and a Northwind contact, then only Fabrikam counts it, as from the account', () => {
    const m = msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], cc: ['joe@fabrikam.com', 'bob@northwind.com'], sent: '2026-01-10T10:00:00Z' });
    const results = run({ [ALICE.id]: { messages: [m] } });
    expect(yearRow(results, 'FAB')).toMatchObject({
      NoOfEmails_FromAccount: 1,
      NoOfEmails_ToAccount: 0,
      NoOfAccountContactsInvolved_Emails: 2,
      NoOfContactsInvolved_Emails: 1,
      LastInboundDate: '2026-01-10T10:00:00.000Z',
    });
    expect(yearRow(results, 'NW')).toMatchObject({ NoOfEmails_FromAccount: 0, NoOfEmails_ToAccount: 0 });
  });

  it('when `from` is missing, then `sender` decides the direction', () => {
    const m = msg({ from: null, sender: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2026-01-10T10:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), 'FAB').NoOfEmails_FromAccount).toBe(1);
  });

  it.each([
    ['an unmatched external sender', 'someone@adatum.com', 'FAB', 0],
    ['a freemail stranger', 'stranger@gmail.com', 'NW', 0],
    ['a freemail address listed as a contact', 'ceo@gmail.com', 'NW', 1],
    ['an address on an ambiguous domain', 'z@litware.com', 'LIT1', 0],
    ['a contact on an ambiguous domain', 'x@litware.com', 'LIT1', 1],
    ['a subdomain of an account domain', 'someone@eu.mail.fabrikam.com', 'FAB', 1],
    ['an automated sender of an account', 'noreply@fabrikam.com', 'FAB', 0],
    ['a bounce sender of an account', 'bounces+x@fabrikam.com', 'FAB', 0],
  ])('when the sender is %s (%s), then %s counts %d inbound emails', (_label, from, accountId, expected) => {
    const m = msg({ from, to: [ALICE.mail], sent: '2026-01-10T10:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), accountId).NoOfEmails_FromAccount).toBe(expected);
  });

  it('when a customer address is on the exclusion list, then it is never counted, not even as a recipient', () => {
    const ctx = makeContext({ rules: { ...defaultRules(), exclusions: ['jane@fabrikam.com'] } });
    const results = run(
      {
        [ALICE.id]: {
          messages: [
            msg({ to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' }),
            msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2026-01-11T10:00:00Z' }),
            msg({ to: ['joe@fabrikam.com', 'jane@fabrikam.com'], sent: '2026-01-12T10:00:00Z' }),
          ],
        },
      },
      { ctx },
    );
    expect(yearRow(results, 'FAB')).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfEmails_FromAccount: 0, NoOfAccountContactsInvolved_Emails: 1 });
  });

  it('when a subsidiary domain is an extra internal domain, then its senders count as internal (outbound)', () => {
    const ctx = makeContext({ rules: { ...defaultRules(), extraInternalDomains: ['contoso-sub.de'] } });
    const m = msg({ from: 'hans@contoso-sub.de', to: ['jane@fabrikam.com', ALICE.mail], sent: '2026-01-10T10:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }, { ctx }), 'FAB').NoOfEmails_ToAccount).toBe(1);
  });
});

describe('emails: logical emails across copies', () => {
  it('when one email reaches three selected mailboxes through a distribution list, then it counts once and all three are involved', () => {
    // Arrange: the same internetMessageId in Alice's Sent Items and in Bob's and Carol's inboxes.
    const copy = (id: string, folder: string) =>
      msg({ id, imid: '<dl@contoso.com>', from: ALICE.mail, to: ['sales-team@contoso.com', 'jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z', folder });
    // Act
    const results = run({
      [ALICE.id]: { messages: [copy('a1', 'sent')] },
      [BOB.id]: { messages: [copy('b1', 'inbox')] },
      [CAROL.id]: { messages: [copy('c1', 'inbox')] },
    });
    // Assert
    expect(yearRow(results, 'FAB')).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfContactsInvolved_Emails: 3, NoOfAccountContactsInvolved_Emails: 1 });
    expect(results.totals.emailsProcessed).toBe(1);
  });

  it('when a customer is Bcc’d, then only the sender’s copy shows it, and holders of the other copies still count', () => {
    // Alice's copy shows the Bcc; Bob (visible To) and Carol (through a DL, invisible) hold copies without it.
    const aliceCopy = msg({ imid: '<bcc@x>', to: [BOB.mail, 'team@contoso.com'], bcc: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z', folder: 'sent' });
    const bobCopy = msg({ imid: '<bcc@x>', to: [BOB.mail, 'team@contoso.com'], sent: '2026-01-10T10:00:00Z' });
    const carolCopy = msg({ imid: '<bcc@x>', to: [BOB.mail, 'team@contoso.com'], sent: '2026-01-10T10:00:00Z' });
    for (const order of [
      [ALICE.id, BOB.id, CAROL.id],
      [CAROL.id, BOB.id, ALICE.id],
    ]) {
      const data = { [ALICE.id]: { messages: [aliceCopy] }, [BOB.id]: { messages: [bobCopy] }, [CAROL.id]: { messages: [carolCopy] } };
      const ordered = Object.fromEntries(order.map((id) => [id, data[id]]));
      expect(yearRow(run(ordered), 'FAB')).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfContactsInvolved_Emails: 3, NoOfAccountContactsInvolved_Emails: 1 });
    }
  });

  it('when only recipients’ copies exist (the sender’s copy is absent), then an internal-only looking email is not counted', () => {
    const bobCopy = msg({ imid: '<only@x>', to: [BOB.mail], sent: '2026-01-10T10:00:00Z' });
    const results = run({ [BOB.id]: { messages: [bobCopy] } });
    expect(yearRow(results, 'FAB').NoOfEmails_ToAccount).toBe(0);
    expect(results.totals.emailsProcessed).toBe(0);
  });

  it('when a message has no internetMessageId, then its key is the mailbox and message id, so two such copies count twice', () => {
    const a = msg({ id: 'same', imid: null, to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' });
    const b = msg({ id: 'same', imid: null, to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [a] }, [BOB.id]: { messages: [b] } }), 'FAB').NoOfEmails_ToAccount).toBe(2);
    expect(yearRow(run({ [ALICE.id]: { messages: [a, b] } }), 'FAB').NoOfEmails_ToAccount).toBe(1);
  });

  it('when a member is addressed by another of their addresses, then they are recognised as that member', () => {
    const m = msg({ from: 'jane@fabrikam.com', to: ['robert@contoso.com'], sent: '2026-01-10T10:00:00Z' });
    // Held by Alice (DL), addressed to Bob's alias: Alice and Bob are involved.
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), 'FAB').NoOfContactsInvolved_Emails).toBe(2);
  });
});

describe('emails: exclusions and folders', () => {
  it.each([
    ['a draft', { draft: true, folder: 'inbox' }, 0],
    ['in Junk Email', { folder: 'junk' }, 0],
    ['in a subfolder of Junk Email', { folder: 'junk-sub' }, 0],
    ['in Drafts', { folder: 'drafts' }, 0],
    ['in Deleted Items', { folder: 'deleted' }, 1],
    ['in the Inbox', { folder: 'inbox' }, 1],
  ])('when the copy is %s, then it counts %d times', (_label, extra, expected) => {
    const m = msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2026-01-10T10:00:00Z', ...extra });
    expect(yearRow(run({ [ALICE.id]: { messages: [m], excludedFolders: ['junk', 'junk-sub', 'drafts'] } }), 'FAB').NoOfEmails_FromAccount).toBe(expected);
  });
});

describe('emails: the window', () => {
  it.each([
    ['one ms before the start of W', '2025-01-14T23:59:59.999Z', 0],
    ['exactly at the start of W', '2025-01-15T00:00:00.000Z', 1],
    ['one ms before T', '2026-01-15T11:59:59.999Z', 1],
    ['exactly at T', '2026-01-15T12:00:00.000Z', 0],
  ])('when the email is sent %s, then it counts %d times', (_label, sent, expected) => {
    const m = msg({ to: ['jane@fabrikam.com'], sent });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), 'FAB').NoOfEmails_ToAccount).toBe(expected);
  });

  it('when the last email is 2.5 days before T, then DaysSinceLastemail is 2 (floored)', () => {
    const m = msg({ to: ['jane@fabrikam.com'], sent: '2026-01-13T00:00:00Z' });
    expect(yearRow(run({ [ALICE.id]: { messages: [m] } }), 'FAB').DaysSinceLastemail).toBe(2);
  });
});

describe('emails: what a mailbox lists that is not an email', () => {
  // Alice writes to Jane at 10:00; Jane answers at 12:00 (a 2 h reply). Then the noise a real
  // mailbox holds arrives in the same conversation and around it; none of it may change a number.
  const clean = () => ({
    [ALICE.id]: {
      messages: [
        msg({ imid: '<q@x>', to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-05T10:00:00Z', folder: 'sent' }),
        msg({ imid: '<a@x>', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-05T12:00:00Z' }),
      ],
    },
  });
  const noise = {
    'a meeting invitation Alice sent': msg({ odataType: '#microsoft.graph.eventMessageRequest', to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-06T09:00:00Z', folder: 'sent' }),
    "Jane's “Accepted:” response": msg({ odataType: '#microsoft.graph.eventMessageResponse', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-06T09:30:00Z' }),
    'a cancellation': msg({ odataType: '#microsoft.graph.eventMessage', to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-07T09:00:00Z', folder: 'sent' }),
    'a Teams chat with Jane in a hidden folder': msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-08T09:00:00Z', folder: 'teams-hidden' }),
    'a Teams chat to Jane in Conversation History': msg({ to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-14T09:00:00Z', folder: 'conversation-history' }),
  };
  const excludedFolders = ['junk', 'drafts', 'teams-hidden', 'conversation-history'];

  it.each(Object.entries(noise))('when the mailbox also lists %s, then no email column changes', (_label, item) => {
    const base = clean();
    const noisy = { [ALICE.id]: { messages: [...base[ALICE.id].messages, item], excludedFolders } };
    const expected = yearRow(run({ [ALICE.id]: { ...base[ALICE.id], excludedFolders } }), 'FAB');
    expect(expected).toMatchObject({ NoOfEmails_ToAccount: 1, NoOfEmails_FromAccount: 1, AverageDuration_Of_AccountEmailReplies: 2, DaysSinceLastemail: 10 });
    expect(yearRow(run(noisy), 'FAB')).toEqual(expected);
  });

  it('when the same message is a plain #microsoft.graph.message, then it counts', () => {
    const item = msg({ odataType: '#microsoft.graph.message', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-06T09:30:00Z' });
    const base = clean();
    expect(yearRow(run({ [ALICE.id]: { messages: [...base[ALICE.id].messages, item] } }), 'FAB').NoOfEmails_FromAccount).toBe(2);
  });
});

describe('emails: AverageDuration_Of_AccountEmailReplies', () => {
  it('when replies follow internal emails across mailboxes, then the mean latency is in hours to one decimal', () => {
    // Conversation c1: Alice → Jane at 10:00 (Alice's mailbox); Jane replies to Bob only at 13:30 (Bob's mailbox): 3.5 h.
    // Conversation c2: internal-only Alice → Carol at 09:00; Jane writes in c2 at 11:00 (Bob's mailbox): 2 h.
    // Conversation c3: Jane at 08:00, Jane again at 09:00: the latest earlier email is external, not a reply.
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], conv: 'c1', sent: '2026-01-05T10:00:00Z', folder: 'sent' }),
          msg({ imid: '<c2p@x>', to: [CAROL.mail], conv: 'c2', sent: '2026-01-06T09:00:00Z', folder: 'sent' }),
        ],
      },
      [BOB.id]: {
        messages: [
          msg({ from: 'jane@fabrikam.com', to: [BOB.mail], conv: 'c1', sent: '2026-01-05T13:30:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [BOB.mail], conv: 'c2', sent: '2026-01-06T11:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [BOB.mail], conv: 'c3', sent: '2026-01-07T08:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [BOB.mail], conv: 'c3', sent: '2026-01-07T09:00:00Z' }),
        ],
      },
      [CAROL.id]: { messages: [msg({ imid: '<c2p@x>', to: [CAROL.mail], conv: 'c2', sent: '2026-01-06T09:00:00Z' })] },
    };
    // (3.5 + 2) / 2 = 2.75 → 2.8
    expect(yearRow(run(data), 'FAB').AverageDuration_Of_AccountEmailReplies).toBe(2.8);
    const reversed = Object.fromEntries(Object.entries(data).reverse());
    expect(yearRow(run(reversed), 'FAB').AverageDuration_Of_AccountEmailReplies).toBe(2.8);
  });

  it('when the previous email was sent at the same instant as the reply, then it is not “before” it', () => {
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-05T10:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-05T10:00:00Z' }),
        ],
      },
    };
    expect(yearRow(run(data), 'FAB').AverageDuration_Of_AccountEmailReplies).toBeNull();
  });

  it('when the internal previous email was sent by someone outside S, then it still counts (P is any collected email)', () => {
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ from: 'dave@contoso.com', to: ['jane@fabrikam.com', ALICE.mail], conv: 'c', sent: '2026-01-05T10:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-05T10:30:00Z' }),
        ],
      },
    };
    expect(yearRow(run(data), 'FAB').AverageDuration_Of_AccountEmailReplies).toBe(0.5);
  });

  it('when an account has no replies, then the average is null, not 0', () => {
    const data = { [ALICE.id]: { messages: [msg({ to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-05T10:00:00Z' })] } };
    expect(yearRow(run(data), 'FAB').AverageDuration_Of_AccountEmailReplies).toBeNull();
  });
});
