/**
 * The in-place message page check accepts exactly what the zod schema accepts, and refuses with
 * zod's own words.
 */
import fc from 'fast-check';
import { parseMessagePage } from './message-page';
import { messageSchema, pageSchema } from './schemas';

const zodPage = pageSchema(messageSchema);

// Values of every JSON type, so each field is sometimes right, sometimes null, missing or wrong.
const anyValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: anyValue, weight: 1 });
const emailAddress = fc.record({ name: maybe(fc.string({ maxLength: 8 })), address: maybe(fc.constantFrom('a@contoso.com', 'jane@fabrikam.com')) }, { requiredKeys: [] });
const recipient = fc.record({ emailAddress: maybe(emailAddress), extra: fc.constant('x') }, { requiredKeys: [] });
const recipients = maybe(fc.array(maybe(recipient), { maxLength: 3 }));
const message = fc.record(
  {
    '@odata.type': maybe(fc.constantFrom('#microsoft.graph.message', '#microsoft.graph.eventMessageRequest')),
    id: maybe(fc.string({ minLength: 1, maxLength: 6 })),
    conversationId: maybe(fc.string({ maxLength: 6 })),
    conversationIndex: maybe(fc.string({ maxLength: 6 })),
    internetMessageId: maybe(fc.string({ maxLength: 6 })),
    from: maybe(recipient),
    sender: maybe(recipient),
    toRecipients: recipients,
    ccRecipients: recipients,
    bccRecipients: recipients,
    sentDateTime: maybe(fc.constant('2026-01-02T10:00:00Z')),
    receivedDateTime: maybe(fc.constant('2026-01-02T10:00:01Z')),
    isDraft: maybe(fc.boolean()),
    parentFolderId: maybe(fc.string({ maxLength: 6 })),
    subject: fc.string({ maxLength: 6 }),
    '@odata.etag': fc.constant('W/"CQAAABYAAAA"'),
  },
  { requiredKeys: [] },
);
const page = fc.oneof(
  { arbitrary: fc.record({ value: fc.array(maybe(message), { maxLength: 4 }), '@odata.nextLink': maybe(fc.constant('https://graph.microsoft.com/v1.0/next')) }, { requiredKeys: ['value'] }), weight: 9 },
  { arbitrary: anyValue, weight: 1 },
);

const outcome = (f: () => unknown): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
};

describe('parseMessagePage', () => {
  it('when a page is checked, then it is accepted exactly when zod accepts it, with the same allow-listed values', () => {
    fc.assert(
      fc.property(page, (body) => {
        const expected = zodPage.safeParse(body);
        const got = outcome(() => parseMessagePage(JSON.parse(JSON.stringify(body ?? null))));
        expect(got.ok).toBe(expected.success);
        if (got.ok && expected.success) {
          // Compare what the reducer reads: the allow-listed fields (extra keys are left, not stripped).
          const allowed = Object.keys(messageSchema.shape);
          const pick = (m: Record<string, unknown>) => Object.fromEntries(allowed.filter((k) => m[k] !== undefined).map((k) => [k, m[k]]));
          const messages = (got.value as { value: Record<string, unknown>[] }).value;
          // Nothing but the allow-list leaves, at any depth.
          for (const m of messages) expect(JSON.parse(JSON.stringify(m))).toEqual(JSON.parse(JSON.stringify(messageSchema.parse(m))));
          const values = messages.map(pick);
          expect(JSON.parse(JSON.stringify(values))).toEqual(JSON.parse(JSON.stringify(expected.data.value.map((m) => pick(m as Record<string, unknown>)))));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('when a message is malformed, then the error names the field, as zod words it', () => {
    const body = { value: [{ id: 'm1', toRecipients: [{ emailAddress: { address: 42 } }] }] };
    expect(() => parseMessagePage(body)).toThrow(/unexpected payload \(value\.0\.toRecipients\.0\.emailAddress\.address: /);
  });
});
